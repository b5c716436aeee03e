"""Evt. spørgsmål: anonymous questions from the phones, upvoted by the room, ranked on screen.

State (assigned whole): open (new questions and votes allowed) and marks ({question id:
"answered" | "hidden"}). A question is a participant's Response in slot "q:<n>" ({"text"} or
{"deleted": True}); a vote is one in slot "v:<question id>" ({"on": bool}), so one person
has one vote per question and can take it back. No name leaves the writer's own phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import (
    ExerciseKind,
    Rejected,
    Screen,
    StepView,
    Submission,
    int_field,
    text_field,
)

from .logic import ANSWERED, HIDDEN, QUESTION, VOTE, Question, fit, ranked, room

SLOT_MAX = 100  # each own question keeps its slot; votes take the rest of the 200 rows


@dataclass(frozen=True)
class QuestionsContent:
    prompt: str = text_field(
        "Opfordring",
        required=True,
        max_len=300,
        help="Står over listen, fx «Har du spørgsmål til i går eller til dagens program?».",
    )
    max_chars: int = int_field(
        "Højst tegn pr. spørgsmål", default=200, low=20, high=500, help="Standard: 200."
    )
    max_questions: int = int_field(
        "Højst spørgsmål pr. deltager", default=5, low=1, high=20, help="Standard: 5."
    )


class Questions(ExerciseKind[QuestionsContent]):
    name = "questions"
    title = "Evt. spørgsmål"
    description = (
        "Deltagerne stiller spørgsmål anonymt og stemmer på hinandens. Skærmen viser de "
        "spørgsmål, flest gerne vil have svar på, øverst."
    )
    main_field = "prompt"
    example = {"prompt": "Er der noget fra i går, du gerne vil have uddybet?"}
    Content = QuestionsContent

    def initial_state(self, content: QuestionsContent) -> dict[str, Any]:
        return {"open": True, "marks": {}}

    def room(self, view: StepView) -> list[Question]:
        """Every question with its votes, built once per render for every screen."""
        return view.derived("questions", lambda: room(view.responses, view.state))

    # ---- the instructor ----------------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state = {**self.initial_state(view.content), **view.state}
        if action in {"open", "close"}:
            return {**state, "open": action == "open"}
        marks = {"answer": ANSWERED, "hide": HIDDEN, "restore": None}
        if action not in marks:
            raise Rejected("Ukendt handling.")
        qid = str(data.get("q", ""))
        if not any(str(q.id) == qid for q in self.room(view)):
            raise Rejected("Det spørgsmål findes ikke længere.")
        changed = {k: v for k, v in (state.get("marks") or {}).items() if k != qid}
        if marks[action]:
            changed[qid] = marks[action]
        return {**state, "marks": changed}

    # ---- the phones --------------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        if view.participant is None:
            raise Rejected("Du er ikke med i denne workshop.")
        if not view.state.get("open", True):
            raise Rejected("Der er lukket for spørgsmål og stemmer nu.")
        op = str(data.get("op", ""))
        if op == "vote":
            return self._vote(view, data)
        if op not in {"ask", "delete"}:
            raise Rejected("Ukendt handling.")
        raw = str(data.get("slot", ""))
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= SLOT_MAX):
            raise Rejected("Du har stillet det højeste antal spørgsmål.")
        slot = f"{QUESTION}{int(raw)}"
        own = {r.slot: r for r in view.own() if r.slot.startswith(QUESTION)}
        if op == "delete":
            if slot not in own:
                raise Rejected("Spørgsmålet findes ikke.")
            return Submission(slot=slot, payload={"deleted": True}, audience="all")
        text = " ".join(str(data.get("text", "")).split())
        if not text:
            raise Rejected("Skriv dit spørgsmål først.")
        limit = view.content.max_chars
        if len(text) > limit:
            raise Rejected(f"Spørgsmålet er for langt: højst {limit} tegn, du har {len(text)}.")
        if slot in own and (own[slot].payload or {}).get("deleted"):
            raise Rejected("Spørgsmålet er trukket tilbage. Skriv et nyt nedenfor.")
        live = [r for s, r in own.items() if s != slot and not (r.payload or {}).get("deleted")]
        if slot not in own and len(live) >= view.content.max_questions:
            raise Rejected(
                f"Du har stillet {view.content.max_questions} spørgsmål, det højeste antal. "
                "Træk et tilbage, hvis du vil stille et nyt."
            )
        return Submission(slot=slot, payload={"text": text}, audience="all")

    def _vote(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        target = str(data.get("q", ""))
        question = next((q for q in self.room(view) if str(q.id) == target), None)
        if question is None or question.deleted or question.mark == HIDDEN:
            raise Rejected("Det spørgsmål kan man ikke stemme på længere.")
        if question.owner_id == view.participant.id:
            raise Rejected("Du kan ikke stemme på dit eget spørgsmål.")
        if question.mark == ANSWERED:
            raise Rejected("Spørgsmålet er allerede besvaret.")
        on = str(data.get("on", "")) == "1"
        return Submission(slot=f"{VOTE}{target}", payload={"on": on}, audience="all")

    def phone_key(self, view: StepView) -> Any:
        """Phones with the same own questions and the same votes see the same list."""
        p = view.participant
        if p is None:
            return None
        mine = tuple(sorted((r.slot, str(r.payload)) for r in view.own()))
        return (view.state.get("open", True), mine)

    # ---- every screen ------------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        questions = self.room(view)
        is_open = view.state.get("open", True)
        ctx: dict[str, Any] = {"content": view.content, "is_open": is_open}
        shown = ranked(questions)
        if screen == "projector":
            waiting = [q for q in shown if q.mark is None]
            answered = [q for q in shown if q.mark == ANSWERED]
            rows = fit(waiting, view.content.prompt)  # the rest is "+ K flere"
            ctx.update(
                top=waiting[:rows],
                more=len(waiting) - rows,
                answered=len(answered),
                total=len(waiting) + len(answered),
            )
            return ctx
        if screen == "controls":
            hidden = [q for q in questions if q.mark == HIDDEN and not q.deleted]
            ctx.update(listed=shown + hidden)
            return ctx
        p = view.participant
        own = {r.slot: r for r in view.own() if r.slot.startswith(QUESTION)}
        voted = {
            r.slot[len(VOTE) :]
            for r in view.own()
            if r.slot.startswith(VOTE) and r.payload.get("on")
        }
        mine = [q for q in questions if p is not None and q.owner_id == p.id and not q.deleted]
        used = [int(s[len(QUESTION) :]) for s in own]
        live = [q for q in mine if q.mark != HIDDEN]
        hidden_own = [q for q in mine if q.mark == HIDDEN]
        ctx.update(
            listed=shown + hidden_own,
            mine_ids={q.id for q in mine},
            voted=voted,
            next_slot=max(used, default=0) + 1,
            can_ask=is_open and len(live) < view.content.max_questions and len(used) < SLOT_MAX,
        )
        return ctx

    def results(self, view: StepView) -> dict[str, Any]:
        listed = ranked(self.room(view))
        return {
            "prompt": view.content.prompt,
            "questions": [
                {"text": q.text, "votes": q.votes, "answered": q.mark == ANSWERED} for q in listed
            ],
        }

"""Refleksion / postkort: private answers kept for the writer, shared ones shown when revealed.

State: locked (no more changes), shown (index of the shared question on the projector, or None).
Each participant's answers are one Response in slot "answers": {"answers": [text per question]}.
Privacy: a phone renders only its own row; projector and export show shared answers only (no
names when anonymous, none below view.min_anonymous); controls see counts only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.kinds import (
    ContentError,
    ExerciseKind,
    ExportRow,
    Rejected,
    Screen,
    StepView,
    Submission,
    owner_id,
)
from facilitator.validation import as_int

from .logic import (
    ReflectionContent,
    answers_of,
    board,
    clean_answers,
    counts,
    pick_recall,
)

SLOT = "answers"
REVISE = "revise:"  # + an earlier step's id: the writer's newer version of what they wrote there
MODE_LABELS = {
    "private": "Kun til dig",
    "anonymous": "Vises på skærmen uden navn",
    "named": "Vises på skærmen med dit navn",
}
RECALL_LABELS = {"previous": "forrige", "all": "alle"}


class Reflection(ExerciseKind[ReflectionContent]):
    name = "reflection"
    title = "Refleksion / postkort"
    description = (
        "Hver deltager svarer for sig selv på spørgsmål til refleksion. Private svar ser kun "
        "skribenten, også senere på kurset; delte svar kan vises på skærmen."
    )
    main_field = "questions"
    example = {
        "intro": "Tag et øjeblik for dig selv, inden vi går hjem.",
        "questions": [
            {"text": "Hvad tager du med dig fra i dag?"},
            {"text": "Hvad vil du gerne have mere af i morgen?", "shared": True},
        ],
        "max_chars": 500,
    }
    Content = ReflectionContent

    def initial_state(self, content: ReflectionContent) -> dict[str, Any]:
        return {"locked": False, "shown": None}

    # ---- the instructor ----------------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state = {**self.initial_state(view.content), **view.state}
        if action == "lock":
            return {**state, "locked": True}
        if action == "unlock":
            return {**state, "locked": False}
        if action == "hide":
            return {**state, "shown": None}
        if action == "show":
            questions = view.content.questions
            number = as_int(data.get("q"), 0, len(questions) - 1)
            if number is None:
                raise Rejected("Det spørgsmål findes ikke.")
            if not questions[number].shared:
                raise Rejected("Svarene på det spørgsmål er private og vises aldrig på skærmen.")
            return {**state, "shown": number}
        raise Rejected("Ukendt handling.")

    # ---- the phones --------------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        if data.get("op") == "revise":
            return self._revise(view, data)
        had = any(r.slot == SLOT for r in view.own())
        answers = clean_answers(view.content, data, had, bool(view.state.get("locked")))
        return Submission(slot=SLOT, payload={"answers": answers})

    def _revise(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        """A recalled answer rewritten later in the course; the newest version is shown back."""
        wanted = str(data.get("step", ""))
        picked = pick_recall(view.content.recall, view.earlier(self.name))
        step = next((s for s, _rows in picked if str(s.id) == wanted), None)
        if step is None:
            raise Rejected("Det svar kan ikke rettes her.")
        try:
            earlier: ReflectionContent = self.parse(step.content or {})
        except ContentError:
            raise Rejected("Det svar kan ikke rettes her.") from None
        answers = clean_answers(earlier, data, True, bool(view.state.get("locked")))
        return Submission(slot=f"{REVISE}{step.id}", payload={"answers": answers})

    def phone_key(self, view: StepView) -> Any:
        return None  # every phone shows its own private answers: never share a render

    # ---- the screens -------------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        content: ReflectionContent = view.content
        ctx: dict[str, Any] = {
            "content": content,
            "locked": bool(view.state.get("locked")),
            "mode_labels": MODE_LABELS,
            "min_anonymous": view.min_anonymous,
        }
        if screen == "phone":
            return {**ctx, **self._phone(view)}
        payloads = self._payloads(view)
        ctx["total"] = sum(1 for p in payloads if any(answers_of(p, len(content.questions))))
        ctx["shown"] = self._shown(view)
        if screen == "controls":
            if ctx["shown"]:  # the controls learn which question is up and its count, no texts
                ctx["shown"] = {k: ctx["shown"][k] for k in ("index", "count", "enough")}
            per_question = counts(content, payloads)
            ctx["questions"] = [
                {"index": i, "text": q.text, "mode": q.mode, "count": per_question[i]}
                for i, q in enumerate(content.questions)
            ]
            ctx["people"] = len(view.participants)
            ctx["recall_steps"], ctx["recall_missing"] = self._recall_sources(view)
            ctx["recall_label"] = RECALL_LABELS.get(content.recall, content.recall)
        return ctx

    def _phone(self, view: StepView) -> dict[str, Any]:
        content: ReflectionContent = view.content
        own = next((r.payload for r in view.own() if r.slot == SLOT), None)
        answers = answers_of(own, len(content.questions))
        questions = [
            {"index": i, "text": q.text, "mode": q.mode, "answer": answers[i]}
            for i, q in enumerate(content.questions)
        ]
        return {"questions": questions, "answered": own is not None, "recall": self._recall(view)}

    def _recall(self, view: StepView) -> list[dict[str, Any]]:
        """The viewer's own answers in the earlier reflection steps chosen by `recall`."""
        recall = view.content.recall
        if not recall:
            return []
        everything = view.earlier(self.name)
        # Rewrites are kept where they were made; in program order, so the newest wins.
        rows_in_order = [r for _step, rows in everything for r in rows] + list(view.own())
        shown = []
        for step, rows in pick_recall(recall, everything):
            try:
                earlier: ReflectionContent = self.parse(step.content or {})
            except ContentError:
                continue
            own = next((r.payload for r in rows if r.slot == SLOT), None)
            rewrites = [r.payload for r in rows_in_order if r.slot == f"{REVISE}{step.id}"]
            answers = answers_of(rewrites[-1] if rewrites else own, len(earlier.questions))
            items = [
                {"index": i, "text": q.text, "mode": q.mode, "answer": answers[i]}
                for i, q in enumerate(earlier.questions)
            ]
            shown.append(
                {
                    "step_id": step.id,
                    "title": step.title,
                    "items": items,
                    "empty": not any(answers),
                    "revised": bool(rewrites),
                    "max_chars": earlier.max_chars,
                }
            )
        return shown

    def _recall_sources(self, view: StepView) -> tuple[list[str], bool]:
        """Titles of the earlier steps a recall points at, and whether it points at nothing."""
        if not view.content.recall:
            return [], False
        here = getattr(view.step, "position", 0)
        steps = [
            s for s in getattr(view.workshop, "steps", []) if s.kind == self.name
            and s.position < here
        ]  # fmt: skip
        picked = pick_recall(view.content.recall, [(s, None) for s in steps])
        return [s.title for s, _rows in picked], not picked

    def _payloads(self, view: StepView) -> list[Mapping[str, Any]]:
        return [r.payload for r in view.responses if r.slot == SLOT]

    def _names(self, view: StepView) -> dict[int, str]:
        return {p.id: p.name for p in view.participants}

    def _board(self, view: StepView, index: int) -> dict[str, Any]:
        names = self._names(view) if not view.content.questions[index].anonymous else {}
        rows = [
            (names.get(owner_id(r) or 0, "Ukendt"), r.payload)
            for r in view.responses
            if r.slot == SLOT
        ]
        return board(view.content.questions[index], index, rows, view.min_anonymous)

    def _shown(self, view: StepView) -> dict[str, Any] | None:
        """The shared question on the projector now, with its board; None when nothing is."""
        index = view.state.get("shown")
        questions = view.content.questions
        if not isinstance(index, int) or not 0 <= index < len(questions):
            return None
        if not questions[index].shared:  # content edited after the reveal: stay private
            return None
        return {"index": index, "question": questions[index], **self._board(view, index)}

    def export_rows(self, view: StepView) -> list[ExportRow]:
        out = []
        for q in self.results(view)["questions"]:
            texts = [] if q.get("note") else q.get("texts") or []
            if not texts:  # private, too few to show, or none yet: only the count
                count = f"{q['answers']} svar. {q.get('note', '')}".strip()
                out.append(ExportRow(q["question"], count))
            for t in texts:
                said = t if isinstance(t, str) else f"{t['name']}: {t['text']}"
                out.append(ExportRow(q["question"], said))
        return out

    def results(self, view: StepView) -> dict[str, Any]:
        """Counts for every question; texts only of shared ones (anonymised when set)."""
        content: ReflectionContent = view.content
        per_question = counts(content, self._payloads(view))
        out = []
        for i, q in enumerate(content.questions):
            item: dict[str, Any] = {
                "question": q.text,
                "visibility": q.mode,
                "answers": per_question[i],
            }
            if q.shared:
                shared = self._board(view, i)
                # Anonymous: bare texts; named: the writer agreed to be shown with a name.
                item["texts"] = [a if "name" in a else a["text"] for a in shared["items"]]
                if not shared["enough"]:
                    item["note"] = f"Svarene vises ikke ved færre end {view.min_anonymous} svar."
            else:
                item["note"] = "Private svar: kun antallet eksporteres."
            out.append(item)
        answered = sum(1 for p in self._payloads(view) if any(answers_of(p, len(per_question))))
        return {"participants_answered": answered, "questions": out}

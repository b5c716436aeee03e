"""Idétavle: post-its from the phones, sorted into themes, dot-voted, sent on to the plan.

State (assigned whole): phase ("collect" | "sort" | "vote" | "reveal"), locked, show (the
group whose wall the projector shows, or "all"), notes (the instructor's changes per note
id), themes (per theme id: title, category, group, into, gone) and next_theme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from facilitator.kinds import (
    ExerciseKind,
    ExportRow,
    Rejected,
    Screen,
    StepView,
    Submission,
    bool_field,
    field_error,
    int_field,
    lines_field,
    text_field,
)

from . import actions, phone_screen, screens
from .logic import COLLECT, DOT, NOTE, SORT, VOTE, Board, build, spend_check, spent_of

SLOT_MAX = 150  # deleted notes keep their slot; the core allows 200 rows per person


@dataclass(frozen=True)
class IdeasContent:
    prompt: str = text_field("Spørgsmål til sedlerne", required=True, area=True, max_len=300)
    categories: list[str] = lines_field(
        "Kategorier (kolonner)",
        max_items=8,
        max_len=60,
        help="Én pr. linje, fx de fire MED-områder. Tom: én fælles tavle.",
    )
    named: bool = bool_field("Vis navn på sedlerne", help="Uden flueben er sedlerne anonyme.")
    dots: int = int_field("Prikker pr. deltager", default=3, low=1, high=20, help="Standard: 3.")
    # 0 (left out): as many as the dots, which `checked` fills in.
    max_per_item: int = int_field(
        "Højst antal prikker på samme seddel eller tema",
        default=0,
        low=1,
        high=20,
        help="Tom: lige så mange som prikkerne.",
    )
    max_chars: int = int_field(
        "Højst tegn pr. seddel", default=200, low=20, high=500, help="Standard: 200."
    )
    max_notes: int = int_field(
        "Højst sedler pr. deltager", default=5, low=1, high=30, help="Standard: 5."
    )
    per_group: bool = bool_field("Hver gruppe har sin egen tavle")

    def checked(self) -> IdeasContent:
        """No more dots on one note than a participant has."""
        if not self.max_per_item:
            return replace(self, max_per_item=self.dots)
        if self.max_per_item > self.dots:
            raise field_error(IdeasContent, "max_per_item", f"skal være mellem 1 og {self.dots}.")
        return self


class Ideas(ExerciseKind[IdeasContent]):
    name = "ideas"
    title = "Idétavle med prikker"
    description = (
        "Alle skriver korte sedler på telefonen. Underviseren samler dem i temaer, og "
        "deltagerne prioriterer med prikker. De vigtigste temaer kan gå videre til handleplanen."
    )
    main_field = "prompt"
    example = {
        "prompt": "Hvad fylder mest i jeres arbejdsmiljø lige nu?",
        "categories": [
            "Arbejdsforhold",
            "Personaleforhold",
            "Samarbejdsforhold",
            "Arbejdsmiljøforhold",
        ],
        "dots": 3,
    }
    Content = IdeasContent

    def initial_state(self, content: IdeasContent) -> dict[str, Any]:
        return {"phase": COLLECT, "locked": False, "show": "all", "notes": {}, "themes": {}}

    def board(self, view: StepView) -> Board:
        """The board of the current rows and state, built once for every screen of a render."""

        def compute() -> Board:
            names = {p.id: p.name for p in view.participants} if view.content.named else {}
            groups = [(g.id, g.name) for g in view.groups]
            return build(view.content, view.state, view.responses, names, groups)

        return view.derived("ideas-board", compute)

    # ---- the instructor ----------------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state = {**self.initial_state(view.content), **view.state}
        return actions.apply(view.content, state, self.board(view), action, data)

    # ---- the phones --------------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        content: IdeasContent = view.content
        state, p = view.state, view.participant
        phase = state.get("phase", COLLECT)
        if p is None:
            raise Rejected("Du er ikke med i denne workshop.")
        if state.get("locked"):
            raise Rejected("Tavlen er låst, så der kan ikke ændres mere.")
        op = str(data.get("op", ""))
        if op == "dot":
            return self._dot(view, data)
        if op not in {"note", "delete"}:
            raise Rejected("Ukendt handling.")
        if phase not in {COLLECT, SORT}:
            raise Rejected("Sedlerne kan ikke ændres nu. Kig op på tavlen.")
        raw_slot = str(data.get("slot", ""))
        if not (raw_slot.isascii() and raw_slot.isdigit() and 1 <= int(raw_slot) <= SLOT_MAX):
            raise Rejected("Du har skrevet det højeste antal sedler i denne øvelse.")
        slot = f"{NOTE}{int(raw_slot)}"
        own = {r.slot: r for r in view.own() if r.slot.startswith(NOTE)}
        existing = own.get(slot)
        gone = existing is None or bool((existing.payload or {}).get("deleted"))
        if op == "delete":
            if existing is None:
                raise Rejected("Sedlen findes ikke.")
            return Submission(slot=slot, payload={"deleted": True})  # twice is still deleted
        if gone and existing is not None:
            raise Rejected("Sedlen er slettet. Skriv en ny nedenfor.")
        note = " ".join(str(data.get("text", "")).split())
        if not note:
            raise Rejected("Skriv noget på sedlen først.")
        if len(note) > content.max_chars:
            raise Rejected(
                f"Sedlen er for lang: højst {content.max_chars} tegn, og du har skrevet "
                f"{len(note)}. Gør den lidt kortere."
            )
        category = 0
        if content.categories:
            raw = str(data.get("category", ""))
            if not (raw.isascii() and raw.isdigit() and int(raw) < len(content.categories)):
                raise Rejected("Vælg, hvor sedlen skal hænge.")
            category = int(raw)
        if gone:
            if phase != COLLECT:
                raise Rejected("Der kan ikke sættes nye sedler op nu.")
            hidden = state.get("notes") or {}
            live = [
                r
                for r in own.values()
                if not (r.payload or {}).get("deleted")
                and not (hidden.get(str(r.id)) or {}).get("hidden")
            ]
            if len(live) >= content.max_notes:
                raise Rejected(
                    f"Du har sat {content.max_notes} sedler op, og det er det højeste antal. "
                    "Slet en, hvis du vil skrive en ny."
                )
        # Each change of the writer's is a new version: the instructor's edits of an older one
        # give way to it.
        rev = 0 if existing is None else int((existing.payload or {}).get("rev", 0)) + 1
        return Submission(slot=slot, payload={"text": note, "category": category, "rev": rev})

    def _dot(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        content: IdeasContent = view.content
        phase = view.state.get("phase", COLLECT)
        if phase != VOTE:
            raise Rejected(
                "Afstemningen er slut." if phase == "reveal" else "Afstemningen er ikke startet."
            )
        target = str(data.get("target", ""))[:40]
        raw = str(data.get("count", ""))
        if not (raw.isascii() and raw.isdigit() and int(raw) <= content.dots):
            raise Rejected("Ugyldigt antal prikker.")
        board = self.board(view)
        unit = board.unit_of(target)
        p = view.participant
        if unit is not None and content.per_group and unit.group_id != p.group_id:
            raise Rejected("Du kan kun sætte prikker på din egen gruppes tavle.")
        mine = spent_of(board, content, [r for r in view.own() if r.slot.startswith(DOT)])
        problem = spend_check(board, content, mine, target, int(raw))
        if problem:
            raise Rejected(problem)
        return Submission(slot=f"{DOT}{target}", payload={"count": int(raw)})

    def phone_key(self, view: StepView) -> Any:
        """Phones with the same own notes (or the same dots, on the same wall) share a render."""
        p = view.participant
        if p is None:
            return None
        board = self.board(view)
        state = view.state
        phase, locked = state.get("phase", COLLECT), bool(state.get("locked"))
        if phase in {COLLECT, SORT}:
            own = tuple((n.id, n.text, n.category) for n in board.by_owner.get(p.id, ()))
            hidden = tuple(n.hidden for n in board.by_owner.get(p.id, ()))
            return (phase, locked, own, hidden, board.next_slot.get(p.id, 1))
        wall = p.group_id if view.content.per_group else None
        return (phase, locked, wall, tuple(sorted(board.spent.get(p.id, {}).items())))

    def phone_patch(self, view: StepView, data: Mapping[str, Any]) -> dict[str, Any] | None:
        """After a dot: the dotted card and the dots left, not the whole wall of cards."""
        return phone_screen.patch(view, self.board(view), data)

    # ---- every screen ------------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        board = self.board(view)
        if screen == "phone":
            return phone_screen.phone(view, board)
        if screen == "projector":
            return screens.projector(view, board)
        return screens.controls(view, board)

    def export_rows(self, view: StepView) -> list[ExportRow]:
        out = []
        for note in self.results(view)["notes"]:
            where = note["category"] + (f" · {note['theme']}" if note["theme"] else "")
            said = note["text"] + (f" ({note['dots']} prikker)" if note["dots"] else "")
            if note["hidden"]:
                said += " (skjult)"
            if "author" in note:
                said = f"{note['author']}: {said}"
            out.append(ExportRow(where, said, note["group"]))
        return out

    def results(self, view: StepView) -> dict[str, Any]:
        return screens.results(view, self.board(view))

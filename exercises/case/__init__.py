"""Case: a case text with questions; each table writes its conclusions, shown back per table.

State (assigned whole): locked, show (None: the case; {"table": group id} or {"question":
index}: conclusions on the projector) and page (of what is shown). A table's conclusion on a
question is a group-scoped Response in slot "a:<index>": {"text", "rev", "earlier"}.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.kinds import ExerciseKind, Rejected, Screen, StepView, Submission

from .logic import (
    ANSWER,
    CaseContent,
    clean_text,
    overview_fits,
    pages,
    question_cards,
    table_answers,
)


class Case(ExerciseKind[CaseContent]):
    name = "case"
    title = "Case til drøftelse"
    description = (
        "En case med spørgsmål. Hvert bord skriver sine konklusioner på en telefon, og "
        "underviseren viser dem på skærmen, bord for bord eller spørgsmål for spørgsmål."
    )
    main_field = "case"
    example = {
        "case": "Ledelsen overvejer, at kun én medarbejder ad gangen må holde pause.",
        "questions": ["Hvem i baglandet skal høres?", "Hvordan får I deres holdning frem?"],
    }
    Content = CaseContent

    def initial_state(self, content: CaseContent) -> dict[str, Any]:
        return {"locked": False, "show": None, "page": 0}

    def tables(self, view: StepView) -> list[tuple[int, str, list[Any]]]:
        """(group id, name, answers) of every table, computed once per render."""

        def compute() -> list[tuple[int, str, list[Any]]]:
            n = len(view.content.questions)
            return [(g.id, g.name, table_answers(view.of_group(g.id), n)) for g in view.groups]

        return view.derived("case-tables", compute)

    # ---- the instructor ----------------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state = {**self.initial_state(view.content), **view.state}
        if action in {"lock", "unlock"}:
            return {**state, "locked": action == "lock"}
        if action == "hide":
            return {**state, "show": None, "page": 0}
        if action == "page":
            raw = str(data.get("page", ""))
            if not (raw.isascii() and raw.isdigit()):
                raise Rejected("Ugyldig side.")
            return {**state, "page": int(raw)}
        raw = str(data.get("item", ""))
        ok = raw.isascii() and raw.isdigit()
        if action == "show_table" and ok and int(raw) in {g.id for g in view.groups}:
            return {**state, "show": {"table": int(raw)}, "page": 0}
        if action == "show_question" and ok and int(raw) < len(view.content.questions):
            return {**state, "show": {"question": int(raw)}, "page": 0}
        raise Rejected("Vælg et bord eller et spørgsmål at vise.")

    # ---- the phones --------------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        p = view.participant
        if p is None or p.group_id is None:
            raise Rejected("Du sidder ikke ved et bord. Spørg underviseren.")
        if view.state.get("locked"):
            raise Rejected("Underviseren har låst svarene.")
        raw = str(data.get("q", ""))
        n = len(view.content.questions)
        if not (raw.isascii() and raw.isdigit() and int(raw) < n):
            raise Rejected("Det spørgsmål findes ikke.")
        text = clean_text(data.get("text"), view.content.max_chars)
        current = table_answers(view.of_group(p.group_id), n)[int(raw)]
        payload: dict[str, Any] = {"text": text, "rev": 1 + (current.rev if current else 0)}
        base = str(data.get("rev", ""))
        # Someone at the table saved in between: keep their words beside ours, not lost.
        if current and current.text and current.text != text and base != str(current.rev):
            payload["earlier"] = current.text
        return Submission(slot=f"{ANSWER}{raw}", payload=payload, scope="group")

    def phone_key(self, view: StepView) -> Any:
        """Everyone at a table sees the same answers."""
        p = view.participant
        return None if p is None else ("table", p.group_id, bool(view.state.get("locked")))

    # ---- every screen ------------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        content = view.content
        state = view.state
        ctx: dict[str, Any] = {"content": content, "locked": bool(state.get("locked"))}
        tables = self.tables(view)
        if screen == "phone":
            p = view.participant
            mine = next((t for t in tables if p is not None and t[0] == p.group_id), None)
            ctx.update(
                table=mine, rows=list(zip(content.questions, mine[2], strict=True)) if mine else []
            )
            return ctx
        ctx["progress"] = [
            (gid, name, sum(1 for a in answers if a and a.text)) for gid, name, answers in tables
        ]
        show = state.get("show") or {}
        cards: list[tuple[str, str]] = []
        heading = ""
        if "table" in show:
            found = next((t for t in tables if t[0] == show["table"]), None)
            if found:
                heading = found[1]
                cards = [
                    (q, a.text if a else "")
                    for q, a in zip(content.questions, found[2], strict=True)
                ]
        elif "question" in show and show["question"] < len(content.questions):
            heading = content.questions[show["question"]]
            cards = [
                (name, (answers[show["question"]] or _EMPTY).text) for _g, name, answers in tables
            ]
        elif not overview_fits(content.case, content.questions):
            # Too long for the large overview: the same text as cards, page by page.
            show, heading = {"case": True}, view.step.title
            cards = [("Casen", content.case), *question_cards(content.case, content.questions)]
        split = pages(cards) if cards else []
        page = min(int(state.get("page") or 0), max(len(split) - 1, 0))
        ctx.update(
            show=show if cards else None,
            heading=heading,
            cards=split[page] if split else [],
            page=page,
            page_count=len(split),
            tables=tables,
        )
        return ctx

    def results(self, view: StepView) -> dict[str, Any]:
        content = view.content
        return {
            "case": content.case,
            "questions": list(content.questions),
            "tables": [
                {
                    "table": name,
                    "answers": [
                        {"question": q, "answer": a.text if a else ""}
                        for q, a in zip(content.questions, answers, strict=True)
                    ],
                }
                for _gid, name, answers in self.tables(view)
            ],
        }


class _Empty:
    text = ""


_EMPTY = _Empty()

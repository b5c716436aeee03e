"""Årshjul: each table places the committee's recurring items on the months (or quarters).

State (assigned whole): locked, show ("all" or the group id the projector shows large) and
page (of tables, when all are shown). A table's items are group-scoped Responses in slot
"item:<n>": {"title", "period", "note"} or {"deleted": True}. A table's wheel is also a
calendar file (calendar.py), linked from the controls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.boards import table_board_action
from facilitator.kinds import ExerciseKind, Rejected, Screen, StepView, Submission

from .calendar import bp
from .logic import (
    ITEM,
    MONTH_LINES,
    ROW_CHARS,
    Item,
    WheelContent,
    by_period,
    clean_item,
    wheel,
    year_rows,
)

TABLES_PER_PAGE = 3  # table columns side by side that stay readable; more: the instructor pages


class AnnualWheel(ExerciseKind[WheelContent]):
    name = "annual_wheel"
    title = "Årshjul"
    description = (
        "Hvert bord sætter udvalgets faste punkter på årets måneder eller kvartaler: APV, "
        "budget, temadrøftelser. Skærmen viser året bord for bord."
    )
    main_field = "task"
    example = {
        "task": "Hvornår på året skal MED-udvalget tage hvad op?",
        "suggestions": ["APV", "Budget", "Arbejdsskader", "Trivselsmåling"],
    }
    Content = WheelContent
    blueprint = bp

    def initial_state(self, content: WheelContent) -> dict[str, Any]:
        return {"locked": False, "show": "all", "page": 0}

    def tables(self, view: StepView) -> list[tuple[int, str, list[Item]]]:
        """(group id, name, items by period) of every table, once per render."""
        n = len(view.content.periods)
        return view.derived(
            "wheel-tables",
            lambda: [(g.id, g.name, wheel(view.of_group(g.id), n)[0]) for g in view.groups],
        )

    # ---- the instructor ----------------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state = {**self.initial_state(view.content), **view.state}
        found = table_board_action(state, action, data, (g.id for g in view.groups))
        if found is None:
            raise Rejected("Ukendt handling.")
        return found

    # ---- the phones --------------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        p, content = view.participant, view.content
        if p is None or p.group_id is None:
            raise Rejected("Du sidder ikke ved et bord. Spørg underviseren.")
        if view.state.get("locked"):
            raise Rejected("Underviseren har låst årshjulene.")
        items, used = wheel(view.of_group(p.group_id), len(content.periods))
        op, raw = str(data.get("op", "")), str(data.get("item", ""))
        if op == "save" and raw == "new":
            if len(items) >= content.max_items:
                raise Rejected(f"Årshjulet har {content.max_items} punkter, det højeste antal.")
            # Numbered here, not by the form: two at a table adding at once get two items.
            payload = clean_item(content, data)
            return Submission(slot=f"{ITEM}{used + 1}", payload=payload, scope="group")
        if not (raw.isascii() and raw.isdigit() and int(raw) in {i.number for i in items}):
            raise Rejected("Punktet findes ikke længere.")
        if op == "save":
            payload = clean_item(content, data)
            return Submission(slot=f"{ITEM}{raw}", payload=payload, scope="group")
        if op == "delete":
            return Submission(slot=f"{ITEM}{raw}", payload={"deleted": True}, scope="group")
        raise Rejected("Ukendt handling.")

    def phone_key(self, view: StepView) -> Any:
        """Everyone at a table sees the same wheel."""
        p = view.participant
        return None if p is None else ("table", p.group_id, bool(view.state.get("locked")))

    # ---- every screen ------------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        content, state = view.content, view.state
        ctx: dict[str, Any] = {"content": content, "locked": bool(state.get("locked"))}
        ctx["periods"] = content.periods
        tables = self.tables(view)
        if screen == "phone":
            p = view.participant
            mine = next((t for t in tables if p is not None and t[0] == p.group_id), None)
            items = mine[2] if mine else []
            ctx.update(
                table=mine,
                cells=[c for c in by_period(items, content.periods) if c["items"]],
                can_add=len(items) < content.max_items,
            )
            return ctx
        show = state.get("show", "all")
        chosen = [t for t in tables if t[0] == show]
        pages = max(1, -(-len(tables) // TABLES_PER_PAGE))
        page = min(int(state.get("page") or 0), pages - 1)
        on_page = chosen or tables[page * TABLES_PER_PAGE : (page + 1) * TABLES_PER_PAGE]
        chars = ROW_CHARS[len(on_page)] if on_page else 0
        chars *= 1 if content.unit == "month" else 3
        cells = [
            [[i for i in items if i.period == n] for _g, _n, items in on_page]
            for n in range(1, len(content.periods) + 1)
        ]
        lines = MONTH_LINES[bool(chosen)] if content.unit == "month" else None
        rows = year_rows(list(content.periods), cells, chars, lines)
        ctx.update(
            show=show,
            one=bool(chosen),
            tables=tables,
            page=page,
            pages=1 if chosen else pages,
            shown=[{"id": gid, "name": name, "count": len(items)} for gid, name, items in on_page],
            rows=rows,
        )
        return ctx

    def results(self, view: StepView) -> dict[str, Any]:
        names = view.content.periods
        return {
            "unit": "måneder" if view.content.unit == "month" else "kvartaler",
            "tables": [
                {
                    "table": name,
                    "items": [
                        {"period": names[i.period - 1], "title": i.title, "note": i.note}
                        for i in items
                    ],
                }
                for _gid, name, items in self.tables(view)
            ],
        }

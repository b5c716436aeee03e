"""Dagsorden: each table builds a prioritised agenda for a meeting, with type and time per item.

State (assigned whole): locked, show ("all" or the group id the projector shows large).
A table's items are group-scoped Responses in slot "item:<n>" ({"title", "type", "minutes",
"note"} or {"deleted": True}); its priority order is one row in slot "order" ({"ids"}).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.boards import table_board_action
from facilitator.kinds import ExerciseKind, Rejected, Screen, StepView, Submission

from .logic import (
    ALL_CHARS,
    ALL_LINES,
    ITEM,
    ONE_CHARS,
    ONE_LINES,
    ORDER,
    TYPES,
    AgendaContent,
    Item,
    agenda,
    clean_item,
    fit,
    moved,
    totals,
)

TABLES_PER_PAGE = 2  # side by side on the projector; more tables: the instructor pages


class Agenda(ExerciseKind[AgendaContent]):
    name = "agenda"
    title = "Dagsorden"
    description = (
        "Hvert bord laver en prioriteret dagsorden til et møde: punkter til information, "
        "drøftelse eller beslutning, med tid ud for hvert. Skærmen viser tiden mod mødets længde."
    )
    main_field = "meeting"
    example = {
        "meeting": "Et MED-møde på to timer",
        "minutes": 120,
        "suggestions": ["Budget", "APV", "Sygefravær"],
    }
    Content = AgendaContent

    def initial_state(self, content: AgendaContent) -> dict[str, Any]:
        return {"locked": False, "show": "all"}

    def tables(self, view: StepView) -> list[tuple[int, str, list[Item]]]:
        """(group id, name, items in priority order) of every table, once per render."""

        def compute() -> list[tuple[int, str, list[Item]]]:
            return [(g.id, g.name, agenda(view.of_group(g.id))[0]) for g in view.groups]

        return view.derived("agenda-tables", compute)

    # ---- the instructor ----------------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state = {**self.initial_state(view.content), **view.state}
        found = table_board_action(state, action, data, (g.id for g in view.groups))
        if found is None:
            raise Rejected("Ukendt handling.")
        return found

    # ---- the phones --------------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        p = view.participant
        if p is None or p.group_id is None:
            raise Rejected("Du sidder ikke ved et bord. Spørg underviseren.")
        if view.state.get("locked"):
            raise Rejected("Underviseren har låst dagsordenerne.")
        items, used = agenda(view.of_group(p.group_id))
        op, raw = str(data.get("op", "")), str(data.get("item", ""))
        if op == "save" and raw == "new":
            if len(items) >= view.content.max_items:
                raise Rejected(
                    f"Dagsordenen har {view.content.max_items} punkter, det højeste antal."
                )
            # The number is given here, not by the form: two at a table adding at once get two.
            return Submission(slot=f"{ITEM}{used + 1}", payload=clean_item(data), scope="group")
        if not (raw.isascii() and raw.isdigit() and int(raw) in {i.number for i in items}):
            raise Rejected("Punktet findes ikke længere.")
        if op == "save":
            return Submission(slot=f"{ITEM}{raw}", payload=clean_item(data), scope="group")
        if op == "delete":
            return Submission(slot=f"{ITEM}{raw}", payload={"deleted": True}, scope="group")
        if op == "move" and str(data.get("dir")) in {"up", "down"}:
            step = -1 if data.get("dir") == "up" else 1
            order = moved(items, int(raw), step)
            return Submission(slot=ORDER, payload={"ids": order}, scope="group")
        raise Rejected("Ukendt handling.")

    def phone_key(self, view: StepView) -> Any:
        """Everyone at a table sees the same agenda."""
        p = view.participant
        return None if p is None else ("table", p.group_id, bool(view.state.get("locked")))

    # ---- every screen ------------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        content = view.content
        ctx: dict[str, Any] = {
            "content": content, "locked": bool(view.state.get("locked")), "types": TYPES,
        }  # fmt: skip
        tables = self.tables(view)
        if screen == "phone":
            p = view.participant
            mine = next((t for t in tables if p is not None and t[0] == p.group_id), None)
            items = mine[2] if mine else []
            ctx.update(
                table=mine, items=items, totals=totals(items, content.minutes),
                can_add=len(items) < content.max_items,
            )  # fmt: skip
            return ctx
        show = view.state.get("show", "all")
        chosen = [t for t in tables if t[0] == show]
        pages = max(1, -(-len(tables) // TABLES_PER_PAGE))
        page = min(int(view.state.get("page") or 0), pages - 1)
        on_page = chosen or tables[page * TABLES_PER_PAGE : (page + 1) * TABLES_PER_PAGE]
        width, lines = (ONE_CHARS, ONE_LINES) if chosen else (ALL_CHARS, ALL_LINES)
        shown = []
        for gid, name, items in on_page:
            n = fit(items, width, lines)  # the rest is "+ K flere"
            shown.append(
                {"id": gid, "name": name, "items": items[:n], "more": len(items) - n,
                 "totals": totals(items, content.minutes)}
            )  # fmt: skip
        ctx.update(
            show=show, one=bool(chosen), tables=tables, shown=shown, page=page,
            pages=1 if chosen else pages,
        )  # fmt: skip
        return ctx

    def results(self, view: StepView) -> dict[str, Any]:
        content = view.content
        out: list[dict[str, Any]] = []
        candidates: list[dict[str, Any]] = []
        for gid, name, items in self.tables(view):
            out.append(
                {
                    "table": name,
                    "items": [
                        {
                            "position": i.position,
                            "title": i.title,
                            "type": i.type_label,
                            "minutes": i.minutes,
                            "note": i.note,
                        }  # fmt: skip
                        for i in items
                    ],
                    "total_minutes": sum(i.minutes for i in items),
                }
            )
            # A point the table wants decided is something the committee must act on.
            candidates += [
                {
                    "theme": i.title,
                    "activity": i.note,
                    "source": "Dagsorden",
                    "group_id": gid,
                    "weight": len(items) - i.position + 1,
                }  # fmt: skip
                for i in items
                if i.type == "beslutning"
            ]
        return {
            "meeting": content.meeting,
            "minutes": content.minutes,
            "tables": out,
            "plan_candidates": candidates,
        }

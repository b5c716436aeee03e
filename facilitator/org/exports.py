"""One CSV and one XLSX for a subtree, for the municipality's APV system: one row per item.

Columns in the order an APV system asks for them (sted, problem, løsning, tovholder,
deadline, status, and effekt when plans record it), then the plan, its row number, priority,
whether the row is overdue and when it last changed. Same conventions as the plan's own
exports (plans/exports.py): semicolons and a BOM for Danish Excel, text cells that never run
as formulas, real date cells in XLSX. No history, so no names beyond the tovholder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..exports import Formats, csv_bytes
from ..exports.sheets import Sheet, xlsx_bytes
from ..plans import exports as plan_exports
from ..plans.exports import _text, stage_name
from ..plans.models import ActionItem, ActionPlan
from ..plans.rules import PRIORITIES, is_overdue
from ..timefmt import local
from .rollup import STATUS_LABELS, Node
from .tree import Tree

ORG_FORMATS = Formats()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def effects() -> tuple[list[str], Callable[[ActionPlan, ActionItem], list[Any]]]:
    """The effect columns and how to fill them: the plans' own `effect_of` (Har det virket?,
    Hvad lærte vi?) when plans/exports.py has one, else any effect column of a plan row."""
    effect_of = getattr(plan_exports, "effect_of", None)
    if effect_of is not None:
        return ["Har det virket?", "Hvad lærte vi?"], lambda p, i: list(effect_of(p, i))
    columns = effect_columns()
    return [_effect_header(c) for c in columns], lambda _p, i: [getattr(i, c) for c in columns]


def effect_columns() -> list[str]:
    """The effect columns of a plan row, if the plans record one (Effekt evalueret: har det
    virket?): whatever ActionItem has whose name starts with effect/effekt, in table order."""
    names = ActionItem.__table__.columns.keys()
    return [n for n in names if n.startswith(("effect", "effekt"))]


def _effect_header(column: str) -> str:
    if column in ("effect", "effekt"):
        return "Effekt"
    rest = re.sub(r"^(effect|effekt)_?", "", column).replace("_", " ")
    return f"Effekt: {rest}"


@dataclass(frozen=True)
class Scope:
    """What to export: the plans of a subtree (of a round, if one is chosen)."""

    tree: Tree
    root_id: int
    plans: list[ActionPlan]
    on: date
    overview: Node | None = None

    @property
    def name(self) -> str:
        return self.tree.by_id[self.root_id].name


def header() -> list[str]:
    head = ["Sted", "Problem", "Løsning", "Tovholder", "Deadline", "Status"]
    head += effects()[0]
    return head + ["Handleplan", "Nr.", "Prioritet", "Overskredet", "Sidst ændret"]


def rows(scope: Scope) -> list[list[Any]]:
    """One list per plan row, places in the tree's order, rows in each plan's order."""
    effect_of = effects()[1]
    order = {p.id: n for n, (p, _) in enumerate(scope.tree.walk(scope.root_id))}
    plans = sorted(scope.plans, key=lambda p: (order.get(p.place_id, len(order)), p.id))
    out = []
    for plan in plans:
        if plan.place_id not in order:
            continue
        where = scope.tree.path(plan.place_id)
        for number, item in enumerate(plan.items, start=1):
            effect = effect_of(plan, item)
            out.append(
                [
                    where,
                    item.theme,
                    item.activity,
                    item.tovholder,
                    item.deadline,
                    stage_name(plan, item),
                    *effect,
                    plan.title + (f" ({plan.group_name})" if plan.group_name else ""),
                    number,
                    PRIORITIES.get(item.priority, ""),
                    "ja" if is_overdue(item, plan, scope.on) else "nej",
                    local(item.updated_at).replace(tzinfo=None, microsecond=0),
                ]
            )
    return out


def filename(scope: Scope) -> str:
    name = scope.name.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        name = name.replace(a, b)
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:50] or "sted"
    return f"handleplaner-{slug}"


@ORG_FORMATS.register("csv", "text/csv")
def org_csv(scope: Scope, **_: Any) -> bytes:
    return csv_bytes(header(), ([_text(v) for v in row] for row in rows(scope)))


PLACES_HEADER = ["Sted", "Niveau", "Status", "Planer", "Rækker", "Over fristen",
                 "Seneste opfølgningsmøde"]  # fmt: skip


def place_rows(scope: Scope) -> list[list[Any]]:
    """The XLSX's second sheet: each place's own status (the overview's rows)."""
    if scope.overview is None:
        return []
    out = []
    for node in scope.overview.walk():
        status = STATUS_LABELS.get(node.status, "") if node.status else ""
        out.append(
            [
                scope.tree.path(node.id),
                node.place.level,
                status,
                node.own.plans,
                node.own.rows,
                node.own.overdue,
                node.last_followup,
            ]
        )
    return out


@ORG_FORMATS.register("xlsx", XLSX)
def org_xlsx(scope: Scope, **_: Any) -> bytes:
    head = header()
    widths = {"Sted": 34, "Problem": 36, "Løsning": 44, "Tovholder": 20, "Deadline": 12,
              "Status": 18, "Handleplan": 26, "Nr.": 6, "Prioritet": 10, "Overskredet": 12,
              "Sidst ændret": 17}  # fmt: skip
    return xlsx_bytes(
        [
            Sheet("Handleplaner", head, rows(scope), [widths.get(name, 30) for name in head]),
            Sheet("Steder", PLACES_HEADER, place_rows(scope), [40, 16, 16, 8, 8, 12, 22]),
        ]
    )

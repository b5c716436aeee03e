"""A plan's rows and the statuspil: add, edit, move and delete, with a dated history.

Rows carry a version: an edit names the version it was based on, and a mismatch raises
Conflict with the current values instead of silently overwriting someone else's change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, update

from ..db import db
from ..timefmt import danish_date
from .models import ActionItem, ActionPlan, StatusChange
from .rules import EFFECTS, PRIORITIES, PlanError, evaluation_stage, now, parse_date
from .service import commit

MAX_ITEMS = 100
TWIN_SECONDS = 10
LIMITS = {
    "theme": 300,
    "activity": 500,
    "tovholder": 120,
    "note": 2000,
    "decision": 1000,
    "learned": 2000,
}
LABELS = {
    "theme": "Problem eller tema",
    "activity": "Aktivitet",
    "tovholder": "Tovholder",
    "deadline": "Deadline",
    "priority": "Prioritet",
    "note": "Note",
    "decision": "Beslutning",
    "learned": "Hvad lærte vi?",
}


class Conflict(PlanError):
    """Someone else changed the row first; `item` holds the current values."""

    def __init__(self, message: str, item: ActionItem) -> None:
        super().__init__(message)
        self.item = item


# ---- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    theme: str
    activity: str
    tovholder: str
    deadline: date | None
    priority: int
    note: str


def _text(form: Mapping[str, Any], key: str) -> str:
    """A text field: one line with tidy spaces, except the free texts, which keep their lines."""
    raw = str(form.get(key) or "")
    free = key in {"note", "learned"}
    value = raw.strip().replace("\r\n", "\n") if free else " ".join(raw.split())
    if len(value) > LIMITS[key]:
        raise PlanError(f"«{LABELS[key]}» er for lang (højst {LIMITS[key]} tegn).")
    return value


def read_item_form(form: Mapping[str, Any]) -> ItemInput:
    """Validate a row's form; raises PlanError naming the field."""
    priority = str(form.get("priority") or "2").strip()
    if priority not in {"1", "2", "3"}:
        raise PlanError("«Prioritet» skal være høj, mellem eller lav.")
    data = ItemInput(
        theme=_text(form, "theme"),
        activity=_text(form, "activity"),
        tovholder=_text(form, "tovholder"),
        deadline=parse_date(form.get("deadline")),
        priority=int(priority),
        note=_text(form, "note"),
    )
    if not data.theme and not data.activity:
        raise PlanError("Skriv en aktivitet (eller det problem, rækken skal løse).")
    return data


def _name(by_name: str) -> str:
    name = " ".join((by_name or "").split())[:60]
    if not name:
        raise PlanError("Skriv dit navn, så historikken viser, hvem der gjorde hvad.")
    return name


def add_item(plan: ActionPlan, data: ItemInput, by_name: str, source: str = "") -> ActionItem:
    name = _name(by_name)
    if len(plan.items) >= MAX_ITEMS:
        raise PlanError(f"En plan kan højst have {MAX_ITEMS} rækker.")
    stamp = now()
    if (twin := _twin(plan, data, source, stamp)) is not None:
        return twin  # a double tap or a retried POST: the row is there already
    item = ActionItem(
        position=max((i.position for i in plan.items), default=0) + 1,
        theme=data.theme,
        activity=data.activity,
        tovholder=data.tovholder,
        deadline=data.deadline,
        priority=data.priority,
        note=data.note,
        source=source[:120],
        created_at=stamp,
        updated_at=stamp,
    )
    item.changes.append(
        StatusChange(at=stamp, by_name=name, from_stage=None, to_stage=0, note="Rækken er oprettet")
    )
    plan.items.append(item)
    plan.updated_at = stamp
    commit(plan)
    return item


def _twin(plan: ActionPlan, data: ItemInput, source: str, stamp: Any) -> ActionItem | None:
    """The same row added again: an imported theme already in the plan, a typed row within
    seconds (a double tap or a retried POST)."""
    for item in reversed(plan.items):
        if source:  # the same theme again (its label may differ: dots change as people vote)
            if item.theme.casefold() == data.theme.casefold():
                return item
        elif (item.theme, item.activity, item.tovholder) == (
            data.theme,
            data.activity,
            data.tovholder,
        ) and (stamp - item.created_at).total_seconds() < TWIN_SECONDS:
            return item
    return None


def _conflict(item: ActionItem, plan: ActionPlan) -> Conflict:
    db.rollback()
    db.refresh(item)
    last = item.changes[-1] if item.changes else None
    who = f"{last.by_name} har" if last and last.by_name else "En anden har"
    stage = plan.stages[min(item.stage, len(plan.stages) - 1)]
    return Conflict(
        f"{who} ændret rækken, mens du skrev. Den står nu på «{stage}». "
        "Dine ændringer er ikke gemt: se dem igennem, og gem igen.",
        item,
    )


def _changed_fields(item: ActionItem, data: ItemInput) -> list[str]:
    notes = []
    for key in ("theme", "activity", "tovholder", "note"):
        if getattr(item, key) != getattr(data, key):
            notes.append(LABELS[key])
    if item.deadline != data.deadline:
        old, new = danish_date(item.deadline) or "ingen", danish_date(data.deadline) or "ingen"
        notes.append(f"Deadline {old} → {new}")
    if item.priority != data.priority:
        notes.append(f"Prioritet {PRIORITIES[item.priority]} → {PRIORITIES[data.priority]}")
    return notes


def _write(item: ActionItem, base_version: int, values: dict[str, Any]) -> bool:
    """Update the row only if nobody changed it since base_version."""
    done = db.execute(
        update(ActionItem)
        .where(ActionItem.id == item.id, ActionItem.version == base_version)
        .values(version=base_version + 1, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(done)


def update_item(item: ActionItem, data: ItemInput, base_version: int, by_name: str) -> ActionItem:
    name, plan = _name(by_name), item.plan
    changed = _changed_fields(item, data)
    if not changed:
        return item  # nothing new, whoever saved last: no conflict to show
    stamp = now()
    values = {k: getattr(data, k) for k in ItemInput.__dataclass_fields__}
    if not _write(item, base_version, {**values, "updated_at": stamp}):
        raise _conflict(item, plan)
    db.add(
        StatusChange(
            item_id=item.id,
            at=stamp,
            by_name=name,
            from_stage=item.stage,
            to_stage=item.stage,
            note="Ændret: " + ", ".join(changed) if changed else "",
        )
    )
    plan.updated_at = stamp
    commit(plan)
    db.refresh(item)
    return item


def _evaluation(plan: ActionPlan, to_stage: int, effect: str, learned: str) -> dict[str, Any]:
    """The row's effect fields for a move: asked for at the evaluation stage, cleared below it."""
    if to_stage != evaluation_stage(plan.stages):
        return {"effect": None, "learned": ""}
    effect = (effect or "").strip().casefold()
    if effect not in EFFECTS:
        raise PlanError(
            f"Før rækken kan stå på «{plan.stages[to_stage]}»: svar på «Har det virket?» "
            "(ja, delvist eller nej), og skriv gerne, hvad I lærte."
        )
    return {"effect": effect, "learned": _text({"learned": learned}, "learned")}


def move_stage(
    item: ActionItem,
    to_stage: int,
    base_version: int,
    by_name: str,
    note: str = "",
    decision: str = "",
    effect: str = "",
    learned: str = "",
) -> ActionItem:
    """Move a row on the statuspil (or record a meeting's decision on it), with history.

    Reaching the evaluation stage needs the answer to "Har det virket?"; giving it again at
    that stage updates the evaluation.
    """
    name, plan = _name(by_name), item.plan
    if not 0 <= to_stage < len(plan.stages):
        raise PlanError("Det trin findes ikke på statuspilen.")
    note = _text({"note": note}, "note")
    decision = " ".join((decision or "").split())
    if len(decision) > LIMITS["decision"]:
        raise PlanError(f"«Beslutning» er for lang (højst {LIMITS['decision']} tegn).")
    asked = to_stage == evaluation_stage(plan.stages) and bool((effect or "").strip())
    if to_stage == item.stage and not (note or decision or asked):
        return item  # two people pressed the same stage: that is agreement, not a conflict
    if to_stage == item.stage and not asked:
        evaluation: dict[str, Any] = {}  # a note or decision on an evaluated row keeps it
    else:
        evaluation = _evaluation(plan, to_stage, effect, learned)
    from_stage, stamp = item.stage, now()
    values = {"stage": to_stage, "updated_at": stamp, **evaluation}
    if not _write(item, base_version, values):
        db.rollback()
        db.refresh(item)
        if item.stage == to_stage and not (note or decision or asked):
            return item
        raise _conflict(item, plan)
    db.add(
        StatusChange(
            item_id=item.id,
            at=stamp,
            by_name=name,
            from_stage=from_stage,
            to_stage=to_stage,
            note=note,
            decision=decision,
            **evaluation,
        )
    )
    plan.updated_at = stamp
    commit(plan)
    db.refresh(item)
    return item


def delete_item(item: ActionItem, base_version: int) -> None:
    """Remove a row (and its history), unless someone changed it since base_version."""
    plan = item.plan
    done = db.execute(
        delete(ActionItem)
        .where(ActionItem.id == item.id, ActionItem.version == base_version)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise _conflict(item, plan)
    plan.updated_at = now()
    commit(plan)
    db.expire(plan, ["items"])

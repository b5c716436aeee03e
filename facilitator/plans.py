"""Action plans (handleplaner): domain functions for plans, their rows and the statuspil.

A plan lives in its own tables and outlives the workshop that made it. Rows carry a version:
an edit names the version it was based on, and a mismatch raises Conflict with the current
values instead of silently overwriting someone else's change.

The rules that need no database (clock, stages, overdue) are in plan_rules.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .db import db
from .models import ActionItem, ActionPlan, Group, StatusChange, Workshop
from .plan_rules import (
    DEFAULT_STAGES,
    PRIORITIES,
    PlanError,
    now,
    parse_date,
    parse_stages,
    today,
)
from .timefmt import danish_date

MAX_ITEMS = 100
TWIN_SECONDS = 10
LIMITS = {"theme": 300, "activity": 500, "tovholder": 120, "note": 2000, "decision": 1000}
LABELS = {
    "theme": "Problem eller tema",
    "activity": "Aktivitet",
    "tovholder": "Tovholder",
    "deadline": "Deadline",
    "priority": "Prioritet",
    "note": "Note",
    "decision": "Beslutning",
}


class Conflict(PlanError):
    """Someone else changed the row first; `item` holds the current values."""

    def __init__(self, message: str, item: ActionItem) -> None:
        super().__init__(message)
        self.item = item


# ---- finding and creating plans ------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(32)


def by_token(token: str, *, edit: bool) -> ActionPlan | None:
    """The plan behind an edit token (edit=True) or behind either token (edit=False)."""
    if not token or len(token) > 64:
        return None
    plan = db.scalar(select(ActionPlan).where(ActionPlan.edit_token == token))
    if plan is None and not edit:
        plan = db.scalar(select(ActionPlan).where(ActionPlan.view_token == token))
    return plan


def create_plan(
    title: str,
    group_name: str = "",
    stages: list[str] | None = None,
    workshop: Workshop | None = None,
    group: Group | None = None,
    origin: str | None = None,
) -> ActionPlan:
    plan = ActionPlan(
        title=(title.strip() or "Handleplan")[:200],
        group_name=group_name[:80],
        stages=list(stages or DEFAULT_STAGES),
        workshop_id=workshop.id if workshop else None,
        owner_id=workshop.owner_id if workshop else None,
        group_id=group.id if group else None,
        origin=origin,
        edit_token=new_token(),
        view_token=new_token(),
    )
    db.add(plan)
    db.commit()
    return plan


def origin_key(group_id: int | None, name: str) -> str:
    return f"{f'g{group_id}' if group_id else 'alle'}|{name.strip().casefold()}"[:200]


def find_for_group(workshop: Workshop, group_id: int | None, name: str) -> ActionPlan | None:
    return db.scalar(
        select(ActionPlan).where(
            ActionPlan.workshop_id == workshop.id,
            ActionPlan.origin == origin_key(group_id, name),
        )
    )


def ensure_for_group(
    workshop: Workshop, group: Group | None, name: str, stages: list[str]
) -> ActionPlan:
    """On the day: the group's plan, created on first use (twice at once makes one)."""
    for _attempt in range(3):
        plan = find_for_group(workshop, group.id if group else None, name)
        if plan is not None:
            return plan
        try:
            return create_plan(
                name,
                group.name if group else "Alle",
                stages,
                workshop=workshop,
                group=group,
                origin=origin_key(group.id if group else None, name),
            )
        except IntegrityError:
            db.rollback()
    raise PlanError("Planen kunne ikke oprettes. Prøv igen.")


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
    """A text field: one line with tidy spaces, except the note, which keeps its lines."""
    raw = str(form.get(key) or "")
    value = raw.strip().replace("\r\n", "\n") if key == "note" else " ".join(raw.split())
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
    db.commit()
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
    db.commit()
    db.refresh(item)
    return item


def move_stage(
    item: ActionItem,
    to_stage: int,
    base_version: int,
    by_name: str,
    note: str = "",
    decision: str = "",
) -> ActionItem:
    """Move a row on the statuspil (or record a meeting's decision on it), with history."""
    name, plan = _name(by_name), item.plan
    if not 0 <= to_stage < len(plan.stages):
        raise PlanError("Det trin findes ikke på statuspilen.")
    note = _text({"note": note}, "note")
    decision = " ".join((decision or "").split())
    if len(decision) > LIMITS["decision"]:
        raise PlanError(f"«Beslutning» er for lang (højst {LIMITS['decision']} tegn).")
    if to_stage == item.stage and not (note or decision):
        return item  # two people pressed the same stage: that is agreement, not a conflict
    from_stage, stamp = item.stage, now()
    if not _write(item, base_version, {"stage": to_stage, "updated_at": stamp}):
        db.rollback()
        db.refresh(item)
        if item.stage == to_stage and not (note or decision):
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
        )
    )
    plan.updated_at = stamp
    db.commit()
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
    db.commit()
    db.expire(plan, ["items"])


# ---- the plan itself -----------------------------------------------------------------------


def update_plan(
    plan: ActionPlan, title: str, stages_raw: str | list[str], next_followup: str | None
) -> ActionPlan:
    """Rename, change the statuspil, set the next follow-up meeting."""
    title = " ".join((title or "").split())
    if not title:
        raise PlanError("Giv planen en titel.")
    if len(title) > 200:
        raise PlanError("«Titel» er for lang (højst 200 tegn).")
    stages = parse_stages(stages_raw)
    highest = max((i.stage for i in plan.items), default=0)
    if highest >= len(stages):
        raise PlanError(
            f"En række står på «{plan.stages[highest]}». Flyt den først, eller behold "
            f"mindst {highest + 1} trin."
        )
    plan.title = title
    plan.stages = stages
    plan.next_followup = parse_date(next_followup, "Næste opfølgning")
    plan.version = (plan.version or 0) + 1
    plan.updated_at = now()
    db.commit()
    return plan


def finish_meeting(plan: ActionPlan, next_followup: str | None) -> ActionPlan:
    """A follow-up meeting ends: today is the last one, and the next one is set."""
    plan.next_followup = parse_date(next_followup, "Næste opfølgning")
    plan.last_followup = today()
    plan.updated_at = now()
    db.commit()
    return plan


def renew_token(plan: ActionPlan, which: str) -> None:
    """Give the plan a new edit or view link; the old one stops working at once."""
    setattr(plan, _token_field(which), new_token())
    db.commit()


def revoke_token(plan: ActionPlan, which: str) -> None:
    setattr(plan, _token_field(which), None)
    db.commit()


def _token_field(which: str) -> str:
    if which not in {"edit", "view"}:
        raise PlanError("Ukendt link.")
    return f"{which}_token"


def of_instructor(instructor_id: int, workshop_ids: list[int]) -> list[ActionPlan]:
    """The plans an instructor follows: from their workshops, or made by their workshops."""
    query = select(ActionPlan).where(
        (ActionPlan.owner_id == instructor_id) | ActionPlan.workshop_id.in_(workshop_ids or [-1])
    )
    return list(db.scalars(query.order_by(ActionPlan.created_at.desc(), ActionPlan.id)))

"""Plans: find or create a committee's plan, its settings, its links, and the one commit.

A plan lives in its own tables and outlives the workshop that made it. The rows and the
statuspil are in items.py; the rules that need no database (clock, stages, overdue) in
rules.py.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import changes
from ..db import db
from ..kinds import SCREENS
from ..models import Group, Workshop
from .models import ActionPlan
from .rules import (
    DEFAULT_STAGES,
    PlanError,
    now,
    parse_date,
    parse_email,
    parse_stages,
    today,
)


def commit(plan: ActionPlan) -> None:
    """Commit a change to a plan; while its workshop runs, the screens showing it update.

    A table's plan is on the projector, the controls and that table's phones; a plenum
    plan is on every phone.
    """
    _commit(plan.workshop_id, plan.group_id)


def _commit(workshop_id: int | None, group_id: int | None) -> None:
    if group_id is None:
        changes.commit(workshop_id, SCREENS)
    else:
        changes.commit(workshop_id, ("projector", "controls"), (group_id,))


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
        place_id=group.place_id if group else None,
        origin=origin,
        edit_token=new_token(),
        view_token=new_token(),
    )
    db.add(plan)
    commit(plan)
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


# ---- the plan itself -----------------------------------------------------------------------


def update_plan(
    plan: ActionPlan,
    title: str,
    stages_raw: str | list[str],
    next_followup: str | None,
    contact_email: str | None = None,
) -> ActionPlan:
    """Rename, change the statuspil, set the next follow-up meeting and the reminders' contact.

    contact_email None leaves the contact as it is; "" removes it.
    """
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
    if contact_email is not None:
        plan.contact_email = parse_email(contact_email)
    plan.version = (plan.version or 0) + 1
    plan.updated_at = now()
    commit(plan)
    return plan


def finish_meeting(plan: ActionPlan, next_followup: str | None) -> ActionPlan:
    """A follow-up meeting ends: today is the last one, and the next one is set."""
    plan.next_followup = parse_date(next_followup, "Næste opfølgning")
    plan.last_followup = today()
    plan.updated_at = now()
    commit(plan)
    return plan


def renew_token(plan: ActionPlan, which: str) -> None:
    """Give the plan a new edit or view link; the old one stops working at once."""
    setattr(plan, _token_field(which), new_token())
    plan.closed_at = None
    commit(plan)


def revoke_token(plan: ActionPlan, which: str) -> None:
    """Close a link; with both links closed the plan is closed, and retention counts from now."""
    setattr(plan, _token_field(which), None)
    if plan.edit_token is None and plan.view_token is None and plan.closed_at is None:
        plan.closed_at = now()
    commit(plan)


def delete_plan(plan: ActionPlan) -> None:
    """Delete a plan with its rows, history and reminders; its links stop working at once."""
    workshop_id, group_id = plan.workshop_id, plan.group_id
    db.delete(plan)
    _commit(workshop_id, group_id)


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

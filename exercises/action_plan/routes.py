"""On the day: phones (and the instructor) edit each table's plan during an action_plan step.

The kind owns these routes (its blueprint, registered by the app like every kind's): a
plan is its own tables, so phones post here, not to the core's answers. A table's plan is
created on first use; the plans service commits and announces every change. Without htmx
(a slow phone), forms post natively and get a redirect back to the phone page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, request, url_for

from facilitator.db import db
from facilitator.kinds import Rejected, kind_of
from facilitator.models import Participant, Step, Workshop
from facilitator.plans import items as plans
from facilitator.plans.links import base_url
from facilitator.plans.models import ActionItem, ActionPlan
from facilitator.plans.service import ensure_for_group
from facilitator.reading import can_teach
from facilitator.screens import render
from facilitator.validation import as_int
from facilitator.views.access import current_participant, htmx, instructor_workshop
from facilitator.views.auth import current_instructor
from facilitator.views.proxy import proxy_phone
from facilitator.workshops import act

bp = Blueprint("action_plan", __name__, url_prefix="/plan/live")
ENDED = "Handleplanen er ikke på skærmen lige nu. Brug linket til planen, hvis I vil rette den."


def _step(step_id: int) -> tuple[Workshop, Step]:
    step = db.get(Step, step_id)
    if step is None or step.kind != "action_plan":
        abort(404)
    return step.workshop, step


def _actor(workshop: Workshop) -> Participant | None:
    """The phone's participant, or the one the instructor answers for (proxy page)."""
    on_behalf = as_int(request.form.get("as"), 1)
    if on_behalf is not None and can_teach(current_instructor(), workshop):
        participant = db.get(Participant, on_behalf)
        return participant if participant and participant.workshop_id == workshop.id else None
    return current_participant(workshop)


def _plan_for(workshop: Workshop, step: Step, group: Any) -> ActionPlan:
    content = kind_of(step).parse(step.content)
    return ensure_for_group(workshop, group, content.plan_title, content.stages)


def _reply(workshop: Workshop, participant: Participant, status: int = 200, **extra: Any):
    """The phone's fresh fragment (htmx), or back to the phone page (a native form post)."""
    if participant.proxy and can_teach(current_instructor(), workshop):
        if not htmx:
            return redirect(url_for("proxy.page", workshop_id=workshop.id, pid=participant.id))
        return proxy_phone(workshop, participant, **extra), status
    if not htmx:
        return redirect(url_for("phone.join", code=workshop.code))
    return render("phone", workshop, participant=participant, **extra), status


def _phone_action(step_id: int, action: Callable[[ActionPlan, Participant], Any]) -> Any:
    """Common frame: who is asking, is the step on, which plan; errors keep the input."""
    workshop, step = _step(step_id)
    participant = _actor(workshop)
    if participant is None:
        return "Du er ikke med i denne workshop. Genindlæs siden.", 401
    if workshop.current_step is None or workshop.current_step.id != step.id:
        return _reply(workshop, participant, 422, error=ENDED)
    plan = _plan_for(workshop, step, participant.group if workshop.groups else None)
    try:
        target = action(plan, participant)
    except plans.PlanError as exc:
        db.rollback()
        target = getattr(exc, "item", None)
        form_error = {
            "target": request.form.get("target") or (target.id if target else "new"),
            "message": str(exc),
            "input": request.form,
        }
        # 422 for a conflict too: htmx swaps 422 into the screen (base.html), not 409.
        return _reply(workshop, participant, 422, form_error=form_error)
    return _reply(workshop, participant, saved=True, saved_item=getattr(target, "id", None))


def _plan_item(plan: ActionPlan, item_id: int) -> ActionItem:
    item = db.get(ActionItem, item_id)
    if item is None or item.plan_id != plan.id:
        raise plans.PlanError("Rækken findes ikke længere i jeres plan.")
    return item


def _or_minus_one(number: int | None) -> int:
    return -1 if number is None else number


def _version() -> int:
    return _or_minus_one(as_int(request.form.get("version"), 0))


@bp.post("/<int:step_id>/items")
def live_add(step_id: int):
    def action(plan: ActionPlan, p: Participant) -> ActionItem:
        return plans.add_item(plan, plans.read_item_form(request.form), p.name)

    return _phone_action(step_id, action)


@bp.post("/<int:step_id>/import")
def live_import(step_id: int):
    """One click: a theme from an earlier step becomes a row."""

    def action(plan: ActionPlan, p: Participant) -> ActionItem:
        data = plans.read_item_form(
            {"theme": request.form.get("theme"), "activity": request.form.get("activity")}
        )
        return plans.add_item(plan, data, p.name, source=request.form.get("source", ""))

    return _phone_action(step_id, action)


@bp.post("/<int:step_id>/items/<int:item_id>")
def live_update(step_id: int, item_id: int):
    def action(plan: ActionPlan, p: Participant) -> ActionItem:
        item = _plan_item(plan, item_id)
        return plans.update_item(item, plans.read_item_form(request.form), _version(), p.name)

    return _phone_action(step_id, action)


@bp.post("/<int:step_id>/items/<int:item_id>/stage")
def live_stage(step_id: int, item_id: int):
    def action(plan: ActionPlan, p: Participant) -> ActionItem:
        item = _plan_item(plan, item_id)
        stage = request.form.get("stage", "")
        return plans.move_stage(item, _or_minus_one(as_int(stage, 0)), _version(), p.name)

    return _phone_action(step_id, action)


# ---- the instructor ------------------------------------------------------------------------


def _instructor_step(step_id: int) -> tuple[Workshop, Step]:
    """The step, for an instructor who teaches its workshop; 404 for anyone else."""
    workshop, step = _step(step_id)
    return instructor_workshop(workshop.id), step


@bp.get("/<int:step_id>/open")
def live_open(step_id: int):
    """The instructor opens a table's plan (to write for a table without phones).

    A GET that may create the table's empty plan: the same one every time, so a link will do.
    """
    workshop, step = _instructor_step(step_id)
    wanted = request.args.get("group", "")
    group = next((g for g in workshop.groups if str(g.id) == wanted), None)
    if workshop.groups and group is None:
        abort(404)
    plan = _plan_for(workshop, step, group)
    return redirect(url_for("plan.edit", token=plan.edit_token))


@bp.post("/<int:step_id>/links")
def live_links(step_id: int):
    """End of the day: every table gets its plan's links and QR codes."""
    workshop, step = _instructor_step(step_id)
    for group in workshop.groups or [None]:
        _plan_for(workshop, step, group)
    try:
        act(workshop, step, "links", {"base_url": base_url()})
    except Rejected as exc:
        return render("controls", workshop, error=str(exc)), 422
    return render("controls", workshop)

"""On the day: phones (and the instructor) edit each group's plan during an action_plan step.

Phones post here, not to the core's submit: a plan is its own tables. The phone is checked
through its session like views/phone.py does; a group's plan is created on first use. After
each change the workshop's version goes up and live.notify() updates the projector, the
controls and that group's phones. Without htmx (a slow phone), forms post natively and get a
redirect back to the phone page.
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, session, url_for
from sqlalchemy import update

from .. import live, plans, workshops
from ..db import db
from ..kinds import Rejected
from ..models import ActionItem, ActionPlan, Participant, Step, Workshop
from ..screens import render
from .auth import current_instructor
from .plan import base_url, bp

ENDED = "Handleplanen er ikke på skærmen lige nu. Brug linket til planen, hvis I vil rette den."


def _step(step_id: int) -> tuple[Workshop, Step]:
    step = db.get(Step, step_id)
    if step is None or step.kind != "action_plan":
        abort(404)
    return step.workshop, step


def _teaches(workshop: Workshop) -> bool:
    return workshops.can_teach(current_instructor(), workshop)


def _actor(workshop: Workshop) -> Participant | None:
    """The phone's participant, or the one the instructor answers for (proxy page)."""
    on_behalf = request.form.get("as", "")
    if on_behalf.isdigit() and _teaches(workshop):
        participant = db.get(Participant, int(on_behalf))
        return participant if participant and participant.workshop_id == workshop.id else None
    return workshops.by_token(workshop, session.get("phones", {}).get(workshop.code))


def _content(step: Step) -> Any:
    return workshops.kind_of(step).parse(step.content)


def _group_plan(workshop: Workshop, step: Step, participant: Participant) -> ActionPlan:
    content = _content(step)
    group = participant.group if workshop.groups else None
    return plans.ensure_for_group(workshop, group, content.plan_title, content.stages)


def _changed(workshop: Workshop, participant: Participant | None) -> None:
    """Newer fragments for everyone who shows this plan: projector, controls, the group."""
    db.execute(
        update(Workshop).where(Workshop.id == workshop.id).values(version=Workshop.version + 1)
    )
    db.commit()
    db.refresh(workshop)
    group = participant.group_id if participant else None
    live.notify(workshop.id, screens=("projector", "controls"), groups=(group,) if group else ())
    if group is None:  # a plenum plan: every phone shows it
        live.notify(workshop.id, screens=("phone",))


def _reply(workshop: Workshop, participant: Participant, status: int = 200, **extra: Any):
    """The phone's fresh fragment (htmx), or back to the phone page (a native form post)."""
    if participant.proxy and _teaches(workshop):
        step = workshop.current_step
        if not request.headers.get("HX-Request"):
            return redirect(url_for("proxy.page", workshop_id=workshop.id, pid=participant.id))
        if step is not None:
            extra["submit_url"] = url_for(
                "proxy.submit", workshop_id=workshop.id, pid=participant.id, step_id=step.id
            )
    elif not request.headers.get("HX-Request"):
        return redirect(url_for("phone.join", code=workshop.code))
    return render("phone", workshop, participant=participant, **extra), status


def _phone_action(step_id: int, action) -> Any:  # noqa: ANN001
    """Common frame: who is asking, is the step on, which plan; errors keep the input."""
    workshop, step = _step(step_id)
    participant = _actor(workshop)
    if participant is None:
        return "Du er ikke med i denne workshop. Genindlæs siden.", 401
    if workshop.current_step is None or workshop.current_step.id != step.id:
        return _reply(workshop, participant, 422, error=ENDED)
    plan = _group_plan(workshop, step, participant)
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
    _changed(workshop, participant)
    return _reply(workshop, participant, saved=True, saved_item=getattr(target, "id", None))


def _plan_item(plan: ActionPlan, item_id: int) -> ActionItem:
    item = db.get(ActionItem, item_id)
    if item is None or item.plan_id != plan.id:
        raise plans.PlanError("Rækken findes ikke længere i jeres plan.")
    return item


def _version() -> int:
    raw = request.form.get("version", "")
    return int(raw) if raw.isdigit() else -1


@bp.post("/plan/live/<int:step_id>/items")
def live_add(step_id: int):
    def action(plan: ActionPlan, p: Participant) -> ActionItem:
        return plans.add_item(plan, plans.read_item_form(request.form), p.name)

    return _phone_action(step_id, action)


@bp.post("/plan/live/<int:step_id>/import")
def live_import(step_id: int):
    """One click: a theme from an earlier step becomes a row."""

    def action(plan: ActionPlan, p: Participant) -> ActionItem:
        data = plans.read_item_form(
            {"theme": request.form.get("theme"), "activity": request.form.get("activity")}
        )
        return plans.add_item(plan, data, p.name, source=request.form.get("source", ""))

    return _phone_action(step_id, action)


@bp.post("/plan/live/<int:step_id>/items/<int:item_id>")
def live_update(step_id: int, item_id: int):
    def action(plan: ActionPlan, p: Participant) -> ActionItem:
        item = _plan_item(plan, item_id)
        return plans.update_item(item, plans.read_item_form(request.form), _version(), p.name)

    return _phone_action(step_id, action)


@bp.post("/plan/live/<int:step_id>/items/<int:item_id>/stage")
def live_stage(step_id: int, item_id: int):
    def action(plan: ActionPlan, p: Participant) -> ActionItem:
        item = _plan_item(plan, item_id)
        stage = request.form.get("stage", "")
        return plans.move_stage(item, int(stage) if stage.isdigit() else -1, _version(), p.name)

    return _phone_action(step_id, action)


# ---- the instructor ------------------------------------------------------------------------


def _instructor_step(step_id: int) -> tuple[Workshop, Step]:
    workshop, step = _step(step_id)
    if not _teaches(workshop):
        abort(404)
    return workshop, step


def _all_plans(workshop: Workshop, step: Step) -> None:
    content = _content(step)
    for group in workshop.groups or [None]:
        plans.ensure_for_group(workshop, group, content.plan_title, content.stages)


@bp.get("/plan/live/<int:step_id>/open")
def live_open(step_id: int):
    """The instructor opens a group's plan (to write for a group without phones).

    A GET that may create the group's empty plan: the same one every time, so a link will do.
    """
    workshop, step = _instructor_step(step_id)
    content = _content(step)
    wanted = request.args.get("group", "")
    group = next((g for g in workshop.groups if str(g.id) == wanted), None)
    if workshop.groups and group is None:
        abort(404)
    plan = plans.ensure_for_group(workshop, group, content.plan_title, content.stages)
    return redirect(url_for("plan.edit", token=plan.edit_token))


@bp.post("/plan/live/<int:step_id>/links")
def live_links(step_id: int):
    """End of the day: every group gets its plan's links and QR codes."""
    workshop, step = _instructor_step(step_id)
    _all_plans(workshop, step)
    try:
        workshops.act(workshop, step, "links", {"base_url": base_url()})
    except Rejected as exc:
        return render("controls", workshop, error=str(exc)), 422
    return render("controls", workshop)

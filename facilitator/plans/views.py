"""The committee's plan after the day: edit and read-only pages, meeting mode, exports.

A plan is reached by long random tokens: /plan/<edit token> edits, /plan/v/<view token>
reads. Exports, print and the calendar feed take either token. The instructor's overview
(/plans) is overview.py; the on-the-day endpoints are the action_plan kind's own routes.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from .. import qr
from ..db import db
from ..exports import download
from ..validation import as_int
from . import apv
from . import items as plans
from . import rules as plan_rules
from .exports import PLAN_FORMATS, filename
from .links import links
from .models import ActionItem, ActionPlan
from .service import by_token, finish_meeting, update_plan

bp = Blueprint("plan", __name__, template_folder="templates")
# The plan templates (and the action_plan kind's) read the rules and labels from these.
bp.add_app_template_global(plan_rules, "plan_rules")
bp.add_app_template_global(plan_rules.PRIORITIES, "plan_priorities")
bp.add_app_template_global(qr.svg, "plan_qr")
# Plan pages are reached by secret links: no shared cache keeps them, no search engine lists them.
PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
GONE = "Planen findes ikke. Linket kan være fornyet eller lukket: spørg udvalget om det nye."


def _plan(token: str, *, edit: bool) -> ActionPlan:
    plan = by_token(token, edit=edit)
    if plan is None:
        abort(404, description=GONE)
    return plan


def _item(plan: ActionPlan, item_id: int) -> ActionItem:
    item = db.get(ActionItem, item_id)
    if item is None or item.plan_id != plan.id:
        abort(404, description="Rækken findes ikke længere i planen.")
    return item


def me() -> str:
    return session.get("plan_name", "")


def _remember_name(name: str) -> None:
    name = " ".join((name or "").split())[:60]
    if name:
        session["plan_name"] = name
        session.permanent = True


def _page(plan: ActionPlan, template: str, status: int = 200, **extra: Any):
    on = plan_rules.today()
    extra.setdefault("editable", template != "plan/view.html")
    return (
        render_template(
            template,
            plan=plan,
            numbers={item.id: n for n, item in enumerate(plan.items, start=1)},
            today=on,
            sections=plan_rules.sections(plan, on),
            summary=plan_rules.summary(plan, on),
            apv_missing=apv.missing(plan, on),
            rules=plan_rules,
            priorities=plan_rules.PRIORITIES,
            links=links(plan, with_edit=extra["editable"]),
            me=me(),
            **extra,
        ),
        status,
        PRIVATE,
    )


# ---- edit page -----------------------------------------------------------------------------


@bp.get("/plan/<token>")
def edit(token: str):
    return _page(_plan(token, edit=True), "plan/edit.html")


@bp.get("/plan/v/<token>")
def view(token: str):
    plan = by_token(token, edit=False)
    if plan is None or plan.view_token != token:
        abort(404, description=GONE)
    return _page(plan, "plan/view.html")


@bp.post("/plan/<token>/me")
def set_name(token: str):
    plan = _plan(token, edit=True)
    _remember_name(request.form.get("by_name", ""))
    return redirect(url_for("plan.edit", token=plan.edit_token))


def _back(plan: ActionPlan, item: ActionItem | None = None, message: str = "Gemt."):
    flash(message)
    anchor = f"#row-{item.id}" if item is not None else ""
    return redirect(url_for("plan.edit", token=plan.edit_token) + anchor)


def _by_name() -> str:
    _remember_name(request.form.get("by_name", ""))
    return me()


@bp.post("/plan/<token>/items")
def add_item(token: str):
    plan = _plan(token, edit=True)
    try:
        item = plans.add_item(plan, plans.read_item_form(request.form), _by_name())
    except plans.PlanError as exc:
        return _page(plan, "plan/edit.html", 422, form_error=_form_error("new", exc))
    return _back(plan, item, "Rækken er tilføjet.")


def _form_error(target: Any, exc: Exception) -> dict[str, Any]:
    return {"target": target, "message": str(exc), "input": request.form}


def _stage(raw: str) -> int:
    number = as_int(raw, 0)
    return -1 if number is None else number


def _evaluation() -> dict[str, str]:
    """The answers to "Har det virket?" and "Hvad lærte vi?" sent with a move."""
    return {"effect": request.form.get("effect", ""), "learned": request.form.get("learned", "")}


def _version() -> int:
    number = as_int(request.form.get("version"), 0)
    return -1 if number is None else number


@bp.post("/plan/<token>/items/<int:item_id>")
def update_item(token: str, item_id: int):
    plan = _plan(token, edit=True)
    item = _item(plan, item_id)
    try:
        plans.update_item(item, plans.read_item_form(request.form), _version(), _by_name())
    except plans.Conflict as exc:
        return _page(plan, "plan/edit.html", 409, form_error=_form_error(item.id, exc))
    except plans.PlanError as exc:
        return _page(plan, "plan/edit.html", 422, form_error=_form_error(item.id, exc))
    return _back(plan, item)


@bp.post("/plan/<token>/items/<int:item_id>/stage")
def move(token: str, item_id: int):
    plan = _plan(token, edit=True)
    item = _item(plan, item_id)
    stage = request.form.get("stage", "")
    try:
        plans.move_stage(
            item, _stage(stage), _version(), _by_name(),
            note=request.form.get("note", ""), **_evaluation(),
        )  # fmt: skip
    except plans.PlanError as exc:
        status = 409 if isinstance(exc, plans.Conflict) else 422
        return _page(plan, "plan/edit.html", status, form_error=_form_error(item.id, exc))
    name = item.activity or item.theme
    short = name if len(name) <= 60 else name[:57] + "…"
    return _back(plan, item, f"«{short}» står nu på «{plan.stages[item.stage]}».")


@bp.post("/plan/<token>/items/<int:item_id>/delete")
def delete_item(token: str, item_id: int):
    plan = _plan(token, edit=True)
    item = _item(plan, item_id)
    try:
        plans.delete_item(item, _version())
    except plans.Conflict as exc:
        return _page(plan, "plan/edit.html", 409, form_error=_form_error(item.id, exc))
    return _back(plan, None, "Rækken er fjernet.")


@bp.post("/plan/<token>/settings")
def settings(token: str):
    plan = _plan(token, edit=True)
    form = request.form
    try:
        update_plan(
            plan, form.get("title", ""), form.get("stages", ""), form.get("next_followup"),
            form.get("contact_email"),
        )  # fmt: skip
    except plans.PlanError as exc:
        db.rollback()
        return _page(plan, "plan/edit.html", 422, form_error=_form_error("settings", exc))
    return _back(plan, None, "Planen er gemt.")


# ---- follow-up meeting mode ----------------------------------------------------------------


@bp.get("/plan/<token>/meeting")
def meeting(token: str):
    plan = _plan(token, edit=True)
    number = as_int(request.args.get("row"), 0) or 0
    if number > len(plan.items):
        number = len(plan.items) + 1  # the closing screen
    item = plan.items[number - 1] if 1 <= number <= len(plan.items) else None
    return _page(plan, "plan/meeting.html", number=number, item=item)


@bp.post("/plan/<token>/meeting/<int:item_id>")
def meeting_record(token: str, item_id: int):
    plan = _plan(token, edit=True)
    item = _item(plan, item_id)
    number = plan.items.index(item) + 1
    stage = request.form.get("stage", "")
    try:
        plans.move_stage(
            item,
            _stage(stage),
            _version(),
            _by_name() or "Opfølgningsmøde",
            decision=request.form.get("decision", ""),
            **_evaluation(),
        )
    except plans.PlanError as exc:
        status = 409 if isinstance(exc, plans.Conflict) else 422
        return _page(
            plan, "plan/meeting.html", status, number=number, item=item,
            form_error=_form_error(item.id, exc),
        )  # fmt: skip
    return redirect(url_for("plan.meeting", token=token, row=number + 1))


@bp.post("/plan/<token>/meeting/finish")
def meeting_finish(token: str):
    plan = _plan(token, edit=True)
    try:
        finish_meeting(plan, request.form.get("next_followup"))
    except plans.PlanError as exc:
        db.rollback()
        return _page(
            plan, "plan/meeting.html", 422, number=len(plan.items) + 1, item=None,
            form_error=_form_error("finish", exc),
        )  # fmt: skip
    return _back(plan, None, "Mødet er gemt i planen.")


# ---- exports: either token -----------------------------------------------------------------


@bp.get("/plan/<token>/export.<fmt>")
def export(token: str, fmt: str):
    plan = _plan(token, edit=False)
    found = PLAN_FORMATS.get(fmt)
    if found is None or fmt == "ics":
        abort(404)
    return download(found, plan, filename(plan), on=plan_rules.today())


@bp.get("/plan/<token>/calendar.ics")
def calendar(token: str):
    """A feed calendars subscribe to: shown inline, revalidated on every fetch."""
    plan = _plan(token, edit=False)
    view_url = links(plan, with_edit=False)["view"]
    return download(PLAN_FORMATS.get("ics"), plan, filename(plan), inline=True, view_url=view_url)


@bp.get("/plan/<token>/print")
def print_view(token: str):
    plan = _plan(token, edit=False)
    return _page(plan, "plan/print.html", editable=token == plan.edit_token)

"""Deleting a plan: by its edit link or by the instructor whose workshop made it, after a
confirmation page (a POST with CSRF and a ticked box; nothing is deleted by a GET)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..views.auth import login_required
from .models import ActionPlan
from .overview import followed_plans
from .service import by_token, delete_plan
from .views import GONE, PRIVATE

bp = Blueprint("plan_removal", __name__)


def _confirmation(plan: ActionPlan, action: str, back: str, error: str = ""):
    status = 422 if error else 200
    page = render_template("plan/delete.html", plan=plan, action=action, back=back, error=error)
    return page, status, PRIVATE


def _confirmed() -> bool:
    return request.form.get("confirm") == "ja"


MISSING = "Sæt flueben for at bekræfte, at planen skal slettes."


def _by_edit_token(token: str) -> ActionPlan:
    plan = by_token(token, edit=True)
    if plan is None:
        abort(404, description=GONE)
    return plan


@bp.get("/plan/<token>/delete")
def confirm_by_token(token: str):
    plan = _by_edit_token(token)
    action = url_for("plan_removal.delete_by_token", token=token)
    return _confirmation(plan, action, url_for("plan.edit", token=token))


@bp.post("/plan/<token>/delete")
def delete_by_token(token: str):
    plan = _by_edit_token(token)
    if not _confirmed():
        action = url_for("plan_removal.delete_by_token", token=token)
        return _confirmation(plan, action, url_for("plan.edit", token=token), MISSING)
    title = plan.title
    delete_plan(plan)
    return render_template("plan/deleted.html", title=title), 200, PRIVATE


def _instructor_plan(plan_id: int) -> ActionPlan:
    plan = next((p for p in followed_plans() if p.id == plan_id), None)
    if plan is None:
        abort(404)
    return plan


@bp.get("/plans/<int:plan_id>/delete")
@login_required
def confirm_by_instructor(plan_id: int):
    plan = _instructor_plan(plan_id)
    action = url_for("plan_removal.delete_by_instructor", plan_id=plan_id)
    return _confirmation(plan, action, url_for("plans.overview") + f"#plan-{plan_id}")


@bp.post("/plans/<int:plan_id>/delete")
@login_required
def delete_by_instructor(plan_id: int):
    plan = _instructor_plan(plan_id)
    if not _confirmed():
        action = url_for("plan_removal.delete_by_instructor", plan_id=plan_id)
        back = url_for("plans.overview") + f"#plan-{plan_id}"
        return _confirmation(plan, action, back, MISSING)
    title, group = plan.title, plan.group_name
    delete_plan(plan)
    flash(f"{title} ({group}) er slettet med alle rækker og al historik.")
    return redirect(url_for("plans.overview"))

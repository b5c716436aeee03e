"""The instructor's overview of every plan their workshops made: status, renew or close links."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from ..reading import visible_to
from ..views.auth import current_instructor, login_required
from . import apv
from . import rules as plan_rules
from .models import ActionPlan
from .rules import PlanError
from .service import of_instructor, renew_token, revoke_token

bp = Blueprint("plans", __name__)


def followed_plans() -> list[ActionPlan]:
    """The plans the logged-in instructor follows."""
    instructor = current_instructor()
    visible = [w.id for w in visible_to(instructor)]
    return of_instructor(instructor.id, visible)


@bp.get("/plans")
@login_required
def overview():
    on = plan_rules.today()
    followed = followed_plans()
    rows = [(p, plan_rules.summary(p, on), apv.missing(p, on)) for p in followed]
    rows.sort(key=lambda r: -r[1]["overdue"])  # stable: newest first among equals
    totals = {
        "plans": len(rows),
        "rows": sum(s["rows"] for _, s, _ in rows),
        "overdue": sum(s["overdue"] for _, s, _ in rows),
        "soon": sum(s["soon"] for _, s, _ in rows),
        "apv_incomplete": sum(bool(m) for _, _, m in rows),
    }
    totals["effects"] = {k: sum(s["effects"][k] for _, s, _ in rows) for k in plan_rules.EFFECTS}
    by_stage: dict[str, int] = {}
    for _, s, _ in rows:
        for name, count in s["by_stage"]:
            by_stage[name] = by_stage.get(name, 0) + count
    return render_template(
        "plan/overview.html", rows=rows, totals=totals, by_stage=by_stage, today=on
    )


@bp.post("/plans/<int:plan_id>/<which>/<action>")
@login_required
def token_action(plan_id: int, which: str, action: str):
    plan = next((p for p in followed_plans() if p.id == plan_id), None)
    if plan is None or action not in {"renew", "revoke"}:
        abort(404)
    try:
        (renew_token if action == "renew" else revoke_token)(plan, which)
    except PlanError:
        abort(404)
    word = "redigeringslinket" if which == "edit" else "læselinket"
    done = "fornyet" if action == "renew" else "lukket"
    flash(f"{plan.title} ({plan.group_name}): {word} er {done}.")
    return redirect(url_for("plans.overview") + f"#plan-{plan.id}")

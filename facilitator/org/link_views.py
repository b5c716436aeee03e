"""Linking ("knyt") plans and workshop groups to places, and a linked plan read-only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..db import db
from ..models import Workshop
from ..plans import rules as plan_rules
from ..plans.links import base_url
from ..plans.models import ActionPlan
from ..plans.service import of_instructor
from ..plans.views import PRIVATE
from ..reading import can_teach, visible_to
from ..validation import as_int
from ..views.auth import login_required
from . import places
from .blueprint import _back, _me, _own, bp
from .models import Place
from .rollup import plan_facts
from .tree import Tree


@bp.get("/knyt")
@login_required
def connect():
    me = _me()
    tree = places.tree_of(me.id)
    visible = visible_to(me)
    plans = of_instructor(me.id, [w.id for w in visible])
    workshops = [w for w in visible if w.groups][:30]
    return render_template(
        "org/connect.html",
        tree=tree,
        options=tree.options(),
        plans=plans,
        workshops=workshops,
    )


def _chosen_place(me_id: int, raw: str | None) -> tuple[bool, Place | None]:
    """(valid, place) from a select's value: "" is no place."""
    if not raw:
        return True, None
    place = places.own_place(me_id, as_int(raw, 1))
    return place is not None, place


@bp.post("/knyt/planer")
@login_required
def connect_plans():
    me = _me()
    followed = {p.id: p for p in of_instructor(me.id, [w.id for w in visible_to(me)])}
    changed = 0
    for key, raw in request.form.items():
        if not key.startswith("plan-"):
            continue
        plan = followed.get(as_int(key[5:], 1) or 0)
        valid, place = _chosen_place(me.id, raw)
        if plan is None or not valid:
            continue
        if plan.place_id != (place.id if place else None):
            plan.place_id = place.id if place else None
            changed += 1
    db.commit()
    flash(f"{changed} {'plan er' if changed == 1 else 'planer er'} knyttet om.", "info")
    return redirect(url_for("org.connect") + "#plans")


@bp.post("/knyt/workshop/<int:workshop_id>")
@login_required
def connect_groups(workshop_id: int):
    me = _me()
    workshop = db.get(Workshop, workshop_id)
    if workshop is None or not can_teach(me, workshop):
        abort(404)
    changed = followed = 0
    for group in workshop.groups:
        raw = request.form.get(f"group-{group.id}")
        if raw is None:
            continue
        valid, place = _chosen_place(me.id, raw)
        if not valid or group.place_id == (place.id if place else None):
            continue
        followed += places.link_group(group, place)
        changed += 1
    db.commit()
    more = f" {followed} af gruppernes planer fulgte med." if followed else ""
    flash(f"«{workshop.title}»: {changed} grupper er knyttet om.{more}", "info")
    return redirect(url_for("org.connect") + f"#workshop-{workshop.id}")


@bp.post("/places/<int:place_id>/plans/<int:plan_id>/unlink")
@login_required
def unlink_plan(place_id: int, plan_id: int):
    place = _own(place_id)
    plan = db.get(ActionPlan, plan_id)
    if plan is None or plan.place_id != place.id:
        abort(404)
    places.link_plan(plan, None)
    return _back(place, f"«{plan.title}» hører ikke længere til «{place.name}».", anchor="#plans")


@bp.get("/planer/<int:plan_id>")
@login_required
def plan(plan_id: int):
    """A plan of the instructor's tree, read-only and without its history's names."""
    found = db.get(ActionPlan, plan_id)
    if found is None or places.own_place(_me().id, found.place_id) is None:
        abort(404)
    tree = places.tree_of(_me().id)
    back = request.referrer if (request.referrer or "").startswith(base_url() + "/org/") else None
    return _plan_page(found, tree, back or url_for("org.place", place_id=found.place_id))


def _plan_page(plan: ActionPlan, tree: Tree, back: str):
    on = plan_rules.today()
    return (
        render_template(
            "org/plan.html",
            plan=plan,
            where=tree.path(plan.place_id, sep=" › ") if plan.place_id in tree.by_id else "",
            check=plan_facts(plan, on),
            summary=plan_rules.summary(plan, on),
            today=on,
            back=back,
        ),
        200,
        PRIVATE,
    )

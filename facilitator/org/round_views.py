"""Rounds: their settings, the overview and its print and exports (read links share these)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from ..db import db
from ..exports import download
from ..plans import rules as plan_rules
from ..plans.views import PRIVATE
from ..timefmt import danish_date
from ..validation import as_int
from ..views.auth import login_required
from . import places
from .blueprint import _back, _me, _own, _own_round, bp
from .exports import ORG_FORMATS, Scope, filename
from .models import ReadLink, Round
from .places import OrgError
from .rollup import BUCKET_LABELS, BUCKETS, STATUS_LABELS, Node, by_level
from .rounds import (
    create_round,
    format_day,
    milestones_text,
    overview,
    plans_in,
    timeline,
    update_round,
)
from .tree import Tree

# How many places the printed status shows one by one before it keeps to the upper levels.
PRINT_ROWS = 50


# ---- rounds --------------------------------------------------------------------------------


@bp.post("/places/<int:place_id>/rounds")
@login_required
def add_round(place_id: int):
    place = _own(place_id)
    year = as_int(request.form.get("year"), 2000, 2100)
    try:
        round_ = create_round(place, request.form.get("title", ""), year or 0)
    except OrgError as exc:
        return _back(place, str(exc), "error", "#rounds")
    flash(f"«{round_.title}» er oprettet med tidsplanen fra Store MED dag. Ret datoerne under "
          "«Runden».", "info")  # fmt: skip
    return redirect(url_for("org.round_overview", round_id=round_.id))


def _zoom(tree: Tree, top: int) -> int:
    """The place the overview shows: `top`, or a place under it (?sted=<id>)."""
    wanted = as_int(request.args.get("sted"), 1)
    if wanted is not None and wanted in tree.by_id and tree.contains(top, wanted):
        return wanted
    return top


@bp.get("/rounds/<int:round_id>")
@login_required
def round_overview(round_id: int, form_error: str | None = None, status: int = 200):
    round_ = _own_round(round_id)
    tree = places.tree_of(_me().id)
    return _overview(
        "org/overview.html",
        tree,
        round_.place_id,
        round_,
        reader=None,
        status=status,
        form_error=form_error,
        milestones_text=request.form.get("milestones") if form_error else None,
    )


@bp.post("/rounds/<int:round_id>")
@login_required
def round_settings(round_id: int):
    round_ = _own_round(round_id)
    form = request.form
    try:
        update_round(
            round_, form.get("title", ""), form.get("deadline", ""), form.get("plans_from", ""),
            form.get("milestones", ""),
        )  # fmt: skip
    except OrgError as exc:
        db.rollback()
        return round_overview(round_id, form_error=str(exc), status=422)
    flash("Runden er gemt.", "info")
    return redirect(url_for("org.round_overview", round_id=round_.id))


@bp.post("/rounds/<int:round_id>/delete")
@login_required
def round_delete(round_id: int):
    round_ = _own_round(round_id)
    place_id, title = round_.place_id, round_.title
    db.delete(round_)
    db.commit()
    flash(f"«{title}» er slettet. Planerne er bevaret.", "info")
    return redirect(url_for("org.place", place_id=place_id))


@bp.get("/rounds/<int:round_id>/print")
@login_required
def round_print(round_id: int):
    round_ = _own_round(round_id)
    tree = places.tree_of(_me().id)
    return _overview("org/print.html", tree, round_.place_id, round_, reader=None)


@bp.get("/rounds/<int:round_id>/export.<fmt>")
@login_required
def round_export(round_id: int, fmt: str):
    round_ = _own_round(round_id)
    tree = places.tree_of(_me().id)
    return _export(tree, _zoom(tree, round_.place_id), round_, fmt)


@bp.get("/places/<int:place_id>/export.<fmt>")
@login_required
def place_export(place_id: int, fmt: str):
    place = _own(place_id)
    return _export(places.tree_of(_me().id), place.id, None, fmt)


def _export(tree: Tree, root_id: int, round_: Round | None, fmt: str):
    found = ORG_FORMATS.get(fmt)
    if found is None:
        abort(404)
    on = plan_rules.today()
    plans = plans_in(tree.subtree_ids(root_id), round_.plans_from if round_ else None)
    node = overview(tree, root_id, round_, on)
    scope = Scope(tree=tree, root_id=root_id, plans=plans, on=on, overview=node)
    return download(found, scope, filename(scope))


# ---- the overview, for instructors and read links alike ------------------------------------


def _overview(
    template: str,
    tree: Tree,
    top_id: int,
    round_: Round | None,
    *,
    reader: ReadLink | None,
    rounds: list[Round] | None = None,
    status: int = 200,
    **extra: Any,
):
    """The overview (or its print) of `top_id`'s subtree, or of a place under it (?sted=)."""
    root_id = _zoom(tree, top_id)
    on = plan_rules.today()
    node = overview(tree, root_id, round_, on)
    if node is None:
        abort(404)
    if reader is not None:
        token = reader.token
        chosen = {"runde": round_.id if round_ else 0}
        urls = {
            "print": url_for("org.read_print", token=token, sted=root_id, **chosen),
            "csv": url_for("org.read_export", token=token, fmt="csv", sted=root_id, **chosen),
            "xlsx": url_for("org.read_export", token=token, fmt="xlsx", sted=root_id, **chosen),
            "overview": url_for("org.read", token=token, **chosen),
            "view": url_for("org.read", token=token, sted=root_id, **chosen),
        }

        def plan_href(plan_id: int) -> str:
            return url_for("org.read_plan", token=token, plan_id=plan_id)

        def zoom_href(place_id: int) -> str | None:
            return url_for("org.read", token=token, runde=chosen["runde"], sted=place_id)

    else:
        here = {"round_id": round_.id}
        zoom = {"sted": root_id} if root_id != round_.place_id else {}
        urls = {
            "print": url_for("org.round_print", **here, **zoom),
            "csv": url_for("org.round_export", fmt="csv", **here, **zoom),
            "xlsx": url_for("org.round_export", fmt="xlsx", **here, **zoom),
            "overview": url_for("org.round_overview", **here),
            "view": url_for("org.round_overview", **here, **zoom),
        }

        def plan_href(plan_id: int) -> str:
            return url_for("org.plan", plan_id=plan_id)

        def zoom_href(place_id: int) -> str | None:
            return url_for("org.round_overview", round_id=round_.id, sted=place_id)

    days_left = (round_.deadline - on).days if round_ else None
    return (
        render_template(
            template,
            node=node,
            tree=tree,
            round=round_,
            rounds=rounds or [],
            reader=reader,
            levels=by_level(node),
            timeline=timeline(round_, on) if round_ else [],
            today=on,
            days_left=days_left,
            past_deadline=round_ is not None and on > round_.deadline,
            urls=urls,
            plan_href=plan_href,
            zoom_href=zoom_href,
            buckets=BUCKETS,
            bucket_labels=BUCKET_LABELS,
            status_labels=STATUS_LABELS,
            printed=printed_rows(node),
            short_date=short_date,
            milestones=milestones_text(round_) if round_ else "",
            zoomed=root_id != top_id,
            folded=request.args.get("foldet") == "1",
            format_day=format_day,
            **extra,
        ),
        status,
        PRIVATE,
    )


def printed_rows(node: Node) -> list[Node]:
    """The places the one-page print lists: all of them when they fit, else the levels above
    the workplaces, else the top two levels."""
    every = list(node.walk())
    if len(every) <= PRINT_ROWS:
        return every
    inner = [n for n in every if n.children]
    if len(inner) <= PRINT_ROWS:
        return inner
    return [n for n in inner if n.depth <= 1]


def short_date(day: date) -> str:
    """«18. mar.»: the timeline's dates, the year being the round's."""
    return danish_date(day).rsplit(" ", 1)[0]

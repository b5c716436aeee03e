"""The instructor's trees: the list, the CSV import, a place's page and its edits, read links."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..db import db
from ..plans import rules as plan_rules
from ..plans.links import base_url
from ..plans.models import ActionPlan
from ..plans.views import PRIVATE
from ..validation import as_int
from ..views.auth import login_required
from . import csv_import, places, read_links
from .blueprint import _back, _me, _own, bp
from .models import Place, ReadLink
from .places import OrgError
from .rollup import plan_facts
from .rounds import plans_in, rounds_of

# ---- the instructor's trees ----------------------------------------------------------------


@bp.get("/")
@login_required
def index(import_errors: list[str] | None = None, status: int = 200):
    me = _me()
    tree = places.tree_of(me.id)
    roots = [(root, len(tree.subtree_ids(root.id)) - 1) for root in tree.roots]
    return (
        render_template(
            "org/index.html",
            roots=roots,
            rounds=rounds_of(me.id),
            import_errors=import_errors,
            example=csv_import.EXAMPLE,
        ),
        status,
    )


@bp.get("/eksempel.csv")
@login_required
def example():
    body = ("\ufeff" + csv_import.EXAMPLE).encode("utf-8")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="med-struktur-eksempel.csv"'},
    )


@bp.post("/import")
@login_required
def import_file():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return index(["Vælg en CSV-fil med jeres MED-struktur."], 422)
    try:
        done = places.import_structure(_me().id, upload.read())
    except csv_import.ImportProblem as exc:
        return index(exc.errors, 422)
    names = ", ".join(f"«{r.name}»" for r in done.roots[:3])
    flash(
        f"Importeret til {names}: {done.created} nye steder"
        + (f", {done.existing} fandtes i forvejen." if done.existing else "."),
        "info",
    )
    if len(done.roots) == 1:
        return redirect(url_for("org.place", place_id=done.roots[0].id))
    return redirect(url_for("org.index"))


@bp.post("/places")
@login_required
def add():
    me = _me()
    parent_id = as_int(request.form.get("parent_id"), 1)
    parent = places.own_place(me.id, parent_id) if request.form.get("parent_id") else None
    if request.form.get("parent_id") and parent is None:
        abort(404)
    try:
        place = places.add_place(
            me.id, parent, request.form.get("name", ""), request.form.get("level", "")
        )
    except OrgError as exc:
        flash(str(exc), "error")
        if parent is None:
            return redirect(url_for("org.index"))
        return redirect(url_for("org.place", place_id=parent.id) + "#add")
    if parent is None:
        return _back(place, f"«{place.name}» er oprettet. Tilføj stederne under den.")
    return _back(parent, f"«{place.name}» er tilføjet under «{parent.name}».", anchor="#add")


def _place_page(place: Place, status: int = 200, **extra: Any):
    me = _me()
    tree = places.tree_of(me.id)
    root = tree.root_of(place.id)
    on = plan_rules.today()
    subtree = list(tree.walk(place.id))
    plans = plans_in([place.id])
    counts: dict[int, int] = {}
    linked = select(ActionPlan.place_id).where(ActionPlan.place_id.in_(tree.subtree_ids(place.id)))
    for where in db.scalars(linked):
        counts[where] = counts.get(where, 0) + 1
    moves = [(p, d) for p, d in tree.options(root.id) if not tree.contains(place.id, p.id)]
    rounds = [r for r in rounds_of(me.id) if tree.contains(r.place_id, place.id)
              or tree.contains(place.id, r.place_id)]  # fmt: skip
    links = [
        (link, read_links.link_state(link, on), _read_url(link))
        for link in read_links.links_of(place)
    ]
    return (
        render_template(
            "org/place.html",
            place=place,
            tree=tree,
            root=root,
            path=tree.ancestors(place.id),
            subtree=subtree,
            levels=tree.levels(root.id) if place.parent_id is None else [],
            plans=[(p, plan_facts(p, on)) for p in plans],
            counts=counts,
            moves=moves,
            rounds=rounds,
            links=links,
            today=on,
            default_expiry=on + timedelta(days=read_links.LINK_DAYS),
            year=on.year,
            **extra,
        ),
        status,
        PRIVATE,
    )


def _read_url(link: ReadLink) -> str:
    return base_url() + url_for("org.read", token=link.token)


@bp.get("/places/<int:place_id>")
@login_required
def place(place_id: int):
    return _place_page(_own(place_id))


@bp.post("/places/<int:place_id>")
@login_required
def update(place_id: int):
    place = _own(place_id)
    form = request.form
    parent_id = as_int(form.get("parent_id"), 1) if form.get("parent_id") else None
    try:
        places.update_place(
            place, form.get("name", ""), form.get("level", ""), parent_id, form.get("contact_email")
        )
    except OrgError as exc:
        db.rollback()
        return _back(place, str(exc), "error", "#edit")
    return _back(place, "Stedet er gemt.")


@bp.post("/places/<int:place_id>/delete")
@login_required
def delete(place_id: int):
    place = _own(place_id)
    parent = db.get(Place, place.parent_id) if place.parent_id else None
    name = place.name
    try:
        places.delete_place(place)
    except OrgError as exc:
        return _back(place, str(exc), "error", "#delete")
    if parent is None:
        flash(f"«{name}» er slettet.", "info")
        return redirect(url_for("org.index"))
    return _back(parent, f"«{name}» er slettet. Planer, der hørte til stedet, er bevaret.")


@bp.post("/places/<int:place_id>/levels")
@login_required
def rename_level(place_id: int):
    place = _own(place_id)
    depth = as_int(request.form.get("depth"), 0, 10)
    if depth is None:
        abort(404)
    try:
        n = places.rename_level(
            _me().id, place.id, depth, request.form.get("old", ""), request.form.get("new", "")
        )
    except OrgError as exc:
        return _back(place, str(exc), "error", "#levels")
    return _back(place, f"Niveauet er omdøbt på {n} steder.", anchor="#levels")


# ---- read links (the instructor's side) ----------------------------------------------------


@bp.post("/places/<int:place_id>/links")
@login_required
def add_link(place_id: int):
    place = _own(place_id)
    try:
        link = read_links.create_link(
            place,
            request.form.get("label", ""),
            request.form.get("expires_on"),
            plan_rules.today(),
        )
    except OrgError as exc:
        return _back(place, str(exc), "error", "#links")
    return _back(place, f"Læselinket til «{link.label}» er lavet.", anchor=f"#link-{link.id}")


@bp.post("/links/<int:link_id>/revoke")
@login_required
def revoke_link(link_id: int):
    link = db.get(ReadLink, link_id)
    if link is None or link.place.owner_id != _me().id:
        abort(404)
    read_links.revoke_link(link)
    return _back(link.place, f"Læselinket til «{link.label}» er lukket. Det virker ikke længere.",
                 anchor="#links")  # fmt: skip

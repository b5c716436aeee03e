"""The organisation pages: the tree, the import, rounds and their overview, read links.

Instructors (logged in) edit their own trees: /org ... Committees read one place's subtree
through a read link, without an account: /org/r/<token> shows the round overview, the
printable status, the exports and the plans read-only, and nothing from the workshops (no
participant names, not even those in a plan's history).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from ..db import db
from ..exports import download
from ..models import Workshop
from ..plans import rules as plan_rules
from ..plans.links import base_url
from ..plans.models import ActionPlan
from ..plans.service import of_instructor
from ..plans.views import PRIVATE
from ..reading import can_teach, visible_to
from ..timefmt import danish_date
from ..validation import as_int
from ..views.auth import current_instructor, login_required
from . import csv_import, service
from .exports import ORG_FORMATS, Scope, filename
from .models import Place, ReadLink, Round
from .rollup import BUCKET_LABELS, BUCKETS, STATUS_LABELS, Node, by_level, plan_facts
from .service import OrgError
from .tree import Tree

bp = Blueprint("org", __name__, url_prefix="/org", template_folder="templates")
GONE = "Linket findes ikke. Det kan være skrevet forkert: spørg den, der sendte det, om linket."
REVOKED = "Linket er lukket. Bed den, der sendte det, om et nyt."
EXPIRED = "Linket udløb {day}. Bed den, der sendte det, om et nyt."
NO_PLAN = "Planen findes ikke her. Den kan være flyttet til et andet sted i organisationen."
# How many places the printed status shows one by one before it keeps to the upper levels.
PRINT_ROWS = 50


@bp.app_template_global("org_status_labels")
def _status_labels() -> dict[str, str]:
    return STATUS_LABELS


@bp.errorhandler(404)
@bp.errorhandler(410)
def gone(exc: Any):  # noqa: ANN201
    """Read links are opened by people without an account: a page that says what to do."""
    own = exc.description if exc.description != type(exc).description else None
    message = own or "Siden findes ikke."
    return render_template("org/gone.html", code=exc.code, message=message), exc.code, PRIVATE


def _me():  # noqa: ANN202
    return current_instructor()


def _own(place_id: int) -> Place:
    place = service.own_place(_me().id, place_id)
    if place is None:
        abort(404)
    return place


def _own_round(round_id: int) -> Round:
    round_ = db.get(Round, round_id)
    if round_ is None or round_.place.owner_id != _me().id:
        abort(404)
    return round_


def _back(place: Place, message: str, category: str = "info", anchor: str = ""):
    flash(message, category)
    return redirect(url_for("org.place", place_id=place.id) + anchor)


# ---- the instructor's trees ----------------------------------------------------------------


@bp.get("/")
@login_required
def index(import_errors: list[str] | None = None, status: int = 200):
    me = _me()
    tree = service.tree_of(me.id)
    roots = [(root, len(tree.subtree_ids(root.id)) - 1) for root in tree.roots]
    return (
        render_template(
            "org/index.html",
            roots=roots,
            rounds=service.rounds_of(me.id),
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
        done = service.import_structure(_me().id, upload.read())
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
    parent = service.own_place(me.id, parent_id) if request.form.get("parent_id") else None
    if request.form.get("parent_id") and parent is None:
        abort(404)
    try:
        place = service.add_place(
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
    tree = service.tree_of(me.id)
    root = tree.root_of(place.id)
    on = plan_rules.today()
    subtree = list(tree.walk(place.id))
    plans = service.plans_in([place.id])
    counts: dict[int, int] = {}
    linked = select(ActionPlan.place_id).where(ActionPlan.place_id.in_(tree.subtree_ids(place.id)))
    for where in db.scalars(linked):
        counts[where] = counts.get(where, 0) + 1
    moves = [(p, d) for p, d in tree.options(root.id) if not tree.contains(place.id, p.id)]
    rounds = [r for r in service.rounds_of(me.id) if tree.contains(r.place_id, place.id)
              or tree.contains(place.id, r.place_id)]  # fmt: skip
    links = [
        (link, service.link_state(link, on), _read_url(link)) for link in service.links_of(place)
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
            default_expiry=on + timedelta(days=service.LINK_DAYS),
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
        service.update_place(place, form.get("name", ""), form.get("level", ""), parent_id)
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
        service.delete_place(place)
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
        n = service.rename_level(
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
        link = service.create_link(
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
    service.revoke_link(link)
    return _back(link.place, f"Læselinket til «{link.label}» er lukket. Det virker ikke længere.",
                 anchor="#links")  # fmt: skip


# ---- rounds --------------------------------------------------------------------------------


@bp.post("/places/<int:place_id>/rounds")
@login_required
def add_round(place_id: int):
    place = _own(place_id)
    year = as_int(request.form.get("year"), 2000, 2100)
    try:
        round_ = service.create_round(place, request.form.get("title", ""), year or 0)
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
    tree = service.tree_of(_me().id)
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
        service.update_round(
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
    tree = service.tree_of(_me().id)
    return _overview("org/print.html", tree, round_.place_id, round_, reader=None)


@bp.get("/rounds/<int:round_id>/export.<fmt>")
@login_required
def round_export(round_id: int, fmt: str):
    round_ = _own_round(round_id)
    tree = service.tree_of(_me().id)
    return _export(tree, _zoom(tree, round_.place_id), round_, fmt)


@bp.get("/places/<int:place_id>/export.<fmt>")
@login_required
def place_export(place_id: int, fmt: str):
    place = _own(place_id)
    return _export(service.tree_of(_me().id), place.id, None, fmt)


def _export(tree: Tree, root_id: int, round_: Round | None, fmt: str):
    found = ORG_FORMATS.get(fmt)
    if found is None:
        abort(404)
    on = plan_rules.today()
    plans = service.plans_in(tree.subtree_ids(root_id), round_.plans_from if round_ else None)
    node = service.overview(tree, root_id, round_, on)
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
    node = service.overview(tree, root_id, round_, on)
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
            timeline=service.timeline(round_, on) if round_ else [],
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
            milestones=service.milestones_text(round_) if round_ else "",
            zoomed=root_id != top_id,
            folded=request.args.get("foldet") == "1",
            format_day=service.format_day,
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


# ---- linking plans and groups to places ----------------------------------------------------


@bp.get("/knyt")
@login_required
def connect():
    me = _me()
    tree = service.tree_of(me.id)
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
    place = service.own_place(me_id, as_int(raw, 1))
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
        followed += service.link_group(group, place)
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
    service.link_plan(plan, None)
    return _back(place, f"«{plan.title}» hører ikke længere til «{place.name}».", anchor="#plans")


@bp.get("/planer/<int:plan_id>")
@login_required
def plan(plan_id: int):
    """A plan of the instructor's tree, read-only and without its history's names."""
    found = db.get(ActionPlan, plan_id)
    if found is None or service.own_place(_me().id, found.place_id) is None:
        abort(404)
    tree = service.tree_of(_me().id)
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


# ---- read links: the committee's side ------------------------------------------------------


def _reader(token: str) -> tuple[ReadLink, Tree]:
    link = service.link_by_token(token)
    if link is None:
        abort(404, description=GONE)
    state = service.link_state(link, plan_rules.today())
    if state == "revoked":
        abort(410, description=REVOKED)
    if state == "expired":
        abort(410, description=EXPIRED.format(day=danish_date(link.expires_on)))
    return link, service.tree_around(link.place)


def _reader_rounds(link: ReadLink, tree: Tree) -> list[Round]:
    """Rounds over the link's place or inside its subtree, newest deadline first."""
    ids = {p.id for p in tree.ancestors(link.place_id)} | tree.subtree_ids(link.place_id)
    query = select(Round).where(Round.place_id.in_(ids))
    return list(db.scalars(query.order_by(Round.deadline.desc(), Round.id.desc())))


def _reader_scope(link: ReadLink, tree: Tree) -> tuple[Round | None, int, list[Round]]:
    """The round the reader asked for (?runde=, 0 for all plans) and the place to show."""
    rounds = _reader_rounds(link, tree)
    wanted = as_int(request.args.get("runde"), 0)
    if wanted == 0 and request.args.get("runde") is not None:
        return None, link.place_id, rounds
    round_ = next((r for r in rounds if r.id == wanted), rounds[0] if rounds else None)
    if round_ is None:
        return None, link.place_id, rounds
    # The deeper of the two: the link's place inside the round, or the round inside the link.
    root = link.place_id if tree.contains(round_.place_id, link.place_id) else round_.place_id
    return round_, root, rounds


@bp.get("/r/<token>")
def read(token: str):
    link, tree = _reader(token)
    round_, root_id, rounds = _reader_scope(link, tree)
    return _overview("org/overview.html", tree, root_id, round_, reader=link, rounds=rounds)


@bp.get("/r/<token>/print")
def read_print(token: str):
    link, tree = _reader(token)
    round_, root_id, rounds = _reader_scope(link, tree)
    return _overview("org/print.html", tree, root_id, round_, reader=link, rounds=rounds)


@bp.get("/r/<token>/export.<fmt>")
def read_export(token: str, fmt: str):
    link, tree = _reader(token)
    round_, top_id, _rounds = _reader_scope(link, tree)
    return _export(tree, _zoom(tree, top_id), round_, fmt)


@bp.get("/r/<token>/planer/<int:plan_id>")
def read_plan(token: str, plan_id: int):
    link, tree = _reader(token)
    found = db.get(ActionPlan, plan_id)
    if (
        found is None
        or found.place_id is None
        or found.place_id not in tree.by_id
        or not tree.contains(link.place_id, found.place_id)
    ):
        abort(404, description=NO_PLAN)
    return _plan_page(found, tree, url_for("org.read", token=token))

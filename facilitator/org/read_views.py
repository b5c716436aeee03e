"""The committee's side of a read link (/org/r/<token>): overview, print, exports, plans."""

from __future__ import annotations

from flask import abort, request, url_for
from sqlalchemy import select

from ..db import db
from ..plans import rules as plan_rules
from ..plans.models import ActionPlan
from ..timefmt import danish_date
from ..validation import as_int
from . import places, read_links
from .blueprint import bp
from .link_views import _plan_page
from .models import ReadLink, Round
from .round_views import _export, _overview, _zoom
from .tree import Tree

GONE = "Linket findes ikke. Det kan være skrevet forkert: spørg den, der sendte det, om linket."
REVOKED = "Linket er lukket. Bed den, der sendte det, om et nyt."
EXPIRED = "Linket udløb {day}. Bed den, der sendte det, om et nyt."
NO_PLAN = "Planen findes ikke her. Den kan være flyttet til et andet sted i organisationen."


def _reader(token: str) -> tuple[ReadLink, Tree]:
    link = read_links.link_by_token(token)
    if link is None:
        abort(404, description=GONE)
    state = read_links.link_state(link, plan_rules.today())
    if state == "revoked":
        abort(410, description=REVOKED)
    if state == "expired":
        abort(410, description=EXPIRED.format(day=danish_date(link.expires_on)))
    return link, places.tree_around(link.place)


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

"""changes.commit: the version moves in the database, the commit lands, then screens hear."""

from __future__ import annotations

import threading

from sqlalchemy import text, update

from facilitator import changes
from facilitator.db import db
from facilitator.models import Workshop
from tests.conftest import make_workshop


def _version_in_db(app, workshop_id: int) -> int:
    with app.extensions["engine"].connect() as conn:
        return conn.execute(
            text("SELECT version FROM workshops WHERE id = :id"), {"id": workshop_id}
        ).scalar_one()


def test_the_bump_is_done_by_the_database_not_from_a_stale_copy(app, teacher):
    ws = make_workshop(teacher)
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        stale = workshop.version
        # Another process moved the version meanwhile; this session still holds the old one.
        with app.extensions["engine"].begin() as conn:
            conn.execute(update(Workshop).where(Workshop.id == ws["id"]).values(version=41))
        new = changes.commit(workshop, screens=("projector",))
        assert stale < 41
        assert new == 42 and workshop.version == 42
    assert _version_in_db(app, ws["id"]) == 42


def test_screens_hear_only_after_the_commit(app, teacher):
    ws = make_workshop(teacher)
    heard: list[tuple[changes.Change, int]] = []

    def listener(sender, change: changes.Change) -> None:
        # Read from another connection: what a second process would see at this moment.
        heard.append((change, _version_in_db(app, change.workshop_id)))

    changes.changed.connect(listener, sender=app)
    try:
        with app.app_context():
            workshop = db.get(Workshop, ws["id"])
            workshop.title = "Ny titel"
            version = changes.commit(workshop, screens=("projector", "controls"), groups=(None, 7))
    finally:
        changes.changed.disconnect(listener, sender=app)
    ((change, seen),) = heard
    assert change.version == version == seen
    assert change.screens == {"projector", "controls"} and change.groups == {7}


def test_without_a_workshop_it_only_commits(app, teacher):
    heard = []
    changes.changed.connect(lambda sender, change: heard.append(change), sender=app, weak=False)
    with app.app_context():
        assert changes.commit(None) is None
    assert heard == []


def test_concurrent_bumps_never_hand_out_the_same_number(app, teacher):
    """Twelve writers at once (within the pool): each gets its own version, none is lost."""
    ws = make_workshop(teacher)
    start = _version_in_db(app, ws["id"])
    got: list[int] = []
    barrier = threading.Barrier(12)

    def writer() -> None:
        with app.app_context():
            workshop = db.get(Workshop, ws["id"])
            barrier.wait()
            got.append(changes.commit(workshop, screens=()))
            db.remove()

    threads = [threading.Thread(target=writer) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(start + 1, start + 13))
    assert _version_in_db(app, ws["id"]) == start + 12

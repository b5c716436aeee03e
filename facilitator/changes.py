"""The one place a change is committed and announced.

Every write (workshop steps, answers, plans, retention) ends here: the workshop's version is
bumped in the database (`version = version + 1`, never read-modify-write in Python, so two
processes can never hand out the same number), the transaction commits, and only then are
the screens told. The domain never imports the Socket.IO module: `live` subscribes to
`changed` when the app starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from blinker import Namespace
from flask import current_app, has_app_context
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from .db import db
from .kinds import SCREENS
from .models import Workshop

changed = Namespace().signal("workshop-changed")


@dataclass(frozen=True)
class Change:
    """What a committed change means for the screens of one workshop.

    `screens` are re-rendered whole; `groups` limits a phone update to the phones of those
    groups when "phone" is not among the screens (the other phones' views did not change).
    """

    workshop_id: int
    version: int | None
    screens: frozenset[str]
    groups: frozenset[int]


def commit(
    workshop: Workshop | int | None,
    screens: Iterable[str] = SCREENS,
    groups: Iterable[int | None] = (),
) -> int | None:
    """Bump the workshop's version, commit, then announce; returns the new version.

    With no workshop (a plan after the day) it only commits: no screen shows it live.
    """
    workshop_id = workshop.id if isinstance(workshop, Workshop) else workshop
    version = None
    if workshop_id is not None:
        version = db.scalar(
            update(Workshop)
            .where(Workshop.id == workshop_id)
            .values(version=Workshop.version + 1)
            .returning(Workshop.version)
            .execution_options(synchronize_session=False)
        )
    db.commit()
    if workshop_id is None:
        return None
    # The caller renders its reply from the loaded workshop: give it the committed number, also
    # when it passed only the id (plans do). A reply older than the push it caused would be
    # dropped by the page, and the phone would lose what the reply opened for it.
    loaded = workshop if isinstance(workshop, Workshop) else _loaded(workshop_id)
    if loaded is not None and version is not None:
        set_committed_value(loaded, "version", version)
    announce(workshop_id, version, screens, groups)
    return version


def _loaded(workshop_id: int) -> Workshop | None:
    """The session's own copy of the workshop, if it has one (no query)."""
    return db.identity_map.get(identity_key(Workshop, workshop_id))


def announce(
    workshop_id: int,
    version: int | None = None,
    screens: Iterable[str] = SCREENS,
    groups: Iterable[int | None] = (),
) -> None:
    """Tell the subscribers (the screens) about a change that is already committed."""
    change = Change(workshop_id, version, frozenset(screens), frozenset(g for g in groups if g))
    sender = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    changed.send(sender, change=change)

"""Storing pictures: the same bytes are kept once, also when two processes store them at once."""

from __future__ import annotations

import hashlib

from facilitator.db import db
from facilitator.media import store
from facilitator.media.check import check
from facilitator.media.models import Media
from tests.media import pictures


def test_the_same_file_twice_is_one_row_and_a_lost_race_finds_the_winner(app, monkeypatch):
    with app.app_context():
        checked = check(pictures.png())
        first = store.save(checked, None)
        db.commit()
        assert first.sha256 == hashlib.sha256(checked.data).hexdigest()
        assert store.save(checked, None).id == first.id
        # Another process stored it between our look-up and our insert: the unique sha256
        # refuses ours inside a savepoint, and the one already there is used.
        real_find, calls = store.find, []

        def late_find(sha: str):
            calls.append(sha)
            return None if len(calls) == 1 else real_find(sha)

        monkeypatch.setattr(store, "find", late_find)
        again = store.save(checked, None)
        db.commit()
        assert again.id == first.id and len(calls) == 2
        assert db.query(Media).count() == 1
        assert store.find("../" + first.sha256) is None and store.find("") is None

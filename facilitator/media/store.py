"""Keeping and finding pictures: one row per distinct file, found by its SHA-256."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..db import db
from .check import Checked
from .models import Media

SHA = re.compile(r"[0-9a-f]{64}")


def save(checked: Checked, owner_id: int | None) -> Media:
    """Store a checked picture (or find the same bytes stored before); flushed, not committed."""
    sha = hashlib.sha256(checked.data).hexdigest()
    found = find(sha)
    if found is not None:
        return found
    row = Media(
        sha256=sha,
        content_type=checked.content_type,
        size=len(checked.data),
        data=checked.data,
        owner_id=owner_id,
    )
    try:
        # A savepoint: another process storing the same file at once is not an error.
        with db.begin_nested():
            db.add(row)
    except IntegrityError:
        found = find(sha)
        if found is None:
            raise
        return found
    return row


def find(sha: str) -> Media | None:
    if not SHA.fullmatch(sha or ""):
        return None
    return db.scalar(select(Media).where(Media.sha256 == sha))

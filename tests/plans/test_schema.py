"""The plan tables as migration 0006 leaves them match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from facilitator.db import Base

PLAN_TABLES = ("action_plans", "action_items", "status_changes", "plan_reminders")


def test_migration_matches_the_plan_models(app):
    with app.extensions["engine"].connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diff if any(t in repr(d) for t in PLAN_TABLES)]
    assert mine == []

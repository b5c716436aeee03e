"""iCal: event ids unique across installations and stable across exports and changes."""

from __future__ import annotations

import re
import sqlite3

from alembic import command
from icalendar import Calendar
from sqlalchemy import create_engine

from facilitator import plans
from facilitator.db import alembic_config
from facilitator.plans import exports as plan_exports

UID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}-(row\d+|meeting-[\d-]+)@facilitator"
)


def uids(plan) -> dict[str, str]:
    cal = Calendar.from_ical(plan_exports.plan_ics(plan))
    return {str(e["SUMMARY"]): str(e["UID"]) for e in cal.walk("VEVENT")}


def test_uids_are_random_per_plan_and_survive_edits(app, monkeypatch):
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-06-15")
    with app.app_context():
        one = plans.create_plan("Handleplan", "Bord 1")
        two = plans.create_plan("Handleplan", "Bord 2")
        for plan in (one, two):
            form = {"activity": "Lydabsorbenter", "deadline": "2026-06-30"}
            plans.add_item(plan, plans.read_item_form(form), "Pia")
            plans.update_plan(plan, "Handleplan", "", "2026-06-15")
        first, second = uids(one), uids(two)
        assert all(UID.fullmatch(u) for u in [*first.values(), *second.values()]), first
        assert not set(first.values()) & set(second.values())
        assert "plan1-row1@facilitator" not in first.values()  # the old, colliding form
        # Renamed, links renewed, the meeting held and the next one set: the same events.
        plans.update_plan(one, "Trivsel på Ærø", "", "2026-06-15")
        plans.renew_token(one, "view")
        plans.finish_meeting(one, "2026-09-01")
        after = uids(one)
        assert after["Frist: Lydabsorbenter"] == first["Frist: Lydabsorbenter"]
        held = after["Opfølgningsmøde (holdt): Trivsel på Ærø"]
        assert held == first["Opfølgningsmøde: Handleplan"]
        assert len(set(after.values())) == len(after) == 3
        # The next meeting on the day of the last one is one event, not two with one id.
        plans.finish_meeting(one, "2026-06-15")
        assert list(uids(one)).count("Opfølgningsmøde: Trivsel på Ærø") == 1
        assert len(uids(one)) == 2


def test_migration_gives_existing_plans_distinct_uids(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    with sqlite3.connect(tmp_path / "old.db") as raw:
        for n in (1, 2):
            raw.execute(
                "INSERT INTO action_plans (title, group_name, stages, version, created_at, "
                "updated_at) VALUES (?, 'Bord', '[]', 1, '2026-01-01', '2026-01-01')",
                (f"Plan {n}",),
            )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    with sqlite3.connect(tmp_path / "old.db") as raw:
        found = [r[0] for r in raw.execute("SELECT uid FROM action_plans")]
    engine.dispose()
    assert len(found) == 2 and len(set(found)) == 2 and all(len(u) == 36 for u in found)

"""The day clock in programs: planned minutes and clock times in TOML, the editor, the controls."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from facilitator import programs, screens
from facilitator.db import db
from facilitator.models import Step, Workshop
from tests.conftest import make_workshop, post
from tests.programs.test_views import BASE, stored

MORNING = datetime(2026, 3, 18, 7, 30, tzinfo=UTC)  # kl. 8.30 in Copenhagen
PLANNED = """title = "Plan"
[[steps]]
kind = "info"
title = "Velkomst"
kl = "08:30"
plan_minutes = 10
body = "Hej"

[[steps]]
kind = "talking_chips"
title = "Chips"
plan_minutes = 20
question = "Hvad?"
minutes = 12
"""


def test_plan_keys_stand_beside_the_content_and_survive_export():
    program = programs.parse(PLANNED)
    first, chips = program.steps
    assert (first.plan_minutes, first.kl, chips.plan_minutes, chips.kl) == (10, "8.30", 20, "")
    assert "kl" not in first.content and "plan_minutes" not in chips.content
    assert chips.content["minutes"] == 12  # the kind's own "minutes" is not the plan's
    text = programs.export(program)
    assert 'kl = "8.30"' in text and programs.parse(text) == program


def test_a_program_without_a_plan_reads_as_before():
    step = programs.parse('title = "X"\n[[steps]]\nkind = "info"\nbody = "Hej"\n').steps[0]
    assert (step.plan_minutes, step.kl, step.plan) == (None, "", {})


@pytest.mark.parametrize(
    ("line", "words"),
    [('kl = "25.00"', "«kl» skal være et klokkeslæt"), ("plan_minutes = -3", "«minutter»")],
)
def test_a_bad_plan_names_its_line_and_step(line, words):
    text = f'title = "X"\n[[steps]]\nkind = "info"\ntitle = "Pause"\n{line}\nbody = "Hej"\n'
    with pytest.raises(programs.ProgramError) as caught:
        programs.parse(text)
    assert str(caught.value).startswith("Linje 5 · Trin 1 (Pause): ")
    assert words in str(caught.value)


def test_the_editor_keeps_and_checks_a_steps_plan(app, teacher):
    resp = post(teacher, f"{BASE}/bibliotek/store_med_dag/kopi", page=f"{BASE}/")
    program_id = int(resp.location.rstrip("/").split("/")[-1])
    assert stored(app, program_id).steps[0]["plan"] == {"plan_minutes": 10, "kl": "8.30"}
    url = f"{BASE}/{program_id}/trin/1"
    html = teacher.get(url).get_data(as_text=True)
    assert re.search(r'name="kl" value="8.30"', html)
    form = {"version": "1", "title": "Velkommen", "body": "Hej", "kl": "halv ni",
            "plan_minutes": "10", "show_on_phone": "1"}  # fmt: skip
    resp = post(teacher, url, form, page=url)
    assert resp.status_code == 422
    assert "klokkeslæt" in resp.get_data(as_text=True)
    assert 'data-testid="error-kl"' in resp.get_data(as_text=True)
    resp = post(teacher, url, {**form, "kl": "8:45", "plan_minutes": ""}, page=url)
    assert resp.status_code == 302
    assert stored(app, program_id).steps[0]["plan"] == {"kl": "8.45"}
    exported = teacher.get(f"{BASE}/{program_id}/eksport.toml").get_data(as_text=True)
    assert 'kl = "8.45"' in exported and 'kl = "9.55"' in exported
    # A workshop made from the edited program carries its plan.
    ws = make_workshop(teacher, program=f"own:{program_id}")
    with app.app_context():
        steps = db.get(Workshop, ws["id"]).steps
        assert (steps[0].plan_kl, steps[0].plan_minutes) == ("8.45", None)
        assert (steps[1].plan_kl, steps[1].plan_minutes) == (None, 15)


def test_the_controls_show_the_plan_and_how_late_the_day_is(app, teacher, monkeypatch):
    ws = make_workshop(teacher, program="store_med_dag", groups="Bord 1\nBord 2")
    html = teacher.get(f"/w/{ws['id']}/fragment").get_data(as_text=True)
    assert "kl. 08.30 · 10 min" in html and "kl. 10.15 · 10 min" in html
    assert 'data-testid="day-status"' not in html  # not started: nothing to reckon from
    post(teacher, f"/w/{ws['id']}/go/0", page="/")
    post(teacher, f"/w/{ws['id']}/go/1", page="/")
    with app.app_context():
        steps = db.get(Workshop, ws["id"]).steps
        first = steps[0].started_at
        assert first is not None and steps[1].started_at >= first
        # The welcome began at 8.30 sharp (7.30 UTC in March) and ran 17 minutes, not 10.
        steps[0].started_at = MORNING
        steps[1].started_at = MORNING + timedelta(minutes=17)
        db.commit()
    monkeypatch.setattr(screens, "utcnow", lambda: MORNING + timedelta(minutes=18))
    html = teacher.get(f"/w/{ws['id']}/fragment").get_data(as_text=True)
    status = re.search(r'data-testid="day-status"[^>]*>Dagens plan: <strong>([^<]+)<', html)
    assert status and status.group(1) == "7 min bagud"
    # The interview ran on to 9.10, past its planned end at 8.55: fifteen minutes behind.
    monkeypatch.setattr(screens, "utcnow", lambda: MORNING + timedelta(minutes=40))
    html = teacher.get(f"/w/{ws['id']}/fragment").get_data(as_text=True)
    assert "<strong>15 min bagud</strong>" in html and "day-late" in html
    # Going back does not restart the clock of a step already shown.
    post(teacher, f"/w/{ws['id']}/go/0", page="/")
    with app.app_context():
        assert db.get(Workshop, ws["id"]).steps[0].started_at == MORNING
        assert db.scalar(select(Step.plan_kl).where(Step.position == 9)) == "9.55"

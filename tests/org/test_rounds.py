"""A follow-up round: the 2026 timetable by default, its settings, the overview and the print."""

from __future__ import annotations

import re

from facilitator.db import db
from facilitator.org.models import Round
from tests.conftest import post


def statuses(html: str) -> dict[str, str]:
    """Each place row's name and status from the overview."""
    found = {}
    for m in re.finditer(r'data-testid="place-row" data-place="([^"]+)".*?</tr>', html, re.S):
        status = re.search(r'data-status="(\w+)"', m.group(0))
        found[m.group(1)] = status.group(1) if status else ""
    return found


def test_a_new_round_has_the_store_med_dag_timetable(app, teacher, round_id):
    with app.app_context():
        r = db.get(Round, round_id)
        assert r.title == "Trivselsmåling og APV 2026"
        assert str(r.deadline) == "2026-06-30" and str(r.plans_from) == "2026-04-08"
        stones = [(str(m.starts_on), str(m.ends_on or ""), m.label) for m in r.milestones]
    assert stones == [
        ("2026-03-18", "", "Store MED dag: den lokale proces planlægges"),
        ("2026-04-08", "", "Spørgeskema\u00adundersøgelsen igangsættes"),
        ("2026-04-22", "", "Spørgeskema\u00adundersøgelsen stopper"),
        ("2026-05-05", "", "Rapporterne frigives"),
        ("2026-05-11", "2026-06-30", "Trivselsdialoger og opsamling på resultaterne"),
        ("2026-08-01", "2026-09-30", "Evaluering i MED"),
    ]


def test_overview_per_place_and_rolled_up(app, teacher, org, round_id, plans):
    resp = teacher.get(f"/org/rounds/{round_id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    assert statuses(html) == {
        "Skole A": "complete",
        "Skole B": "started",
        "Ældre C": "missing",
        "Syd": "complete",  # AfdelingsMED's own plan
        "Dagtilbud D": "missing",  # its plan is from 2023, before the round
        "Dagtilbud E": "missing",
    }
    assert 'data-testid="total-complete">1</span> af 5 steder' in html
    assert re.search(r'data-testid="count-missing">.*?<span class="n">3</span>', html, re.S)
    # Overdue: only Skole A's row in progress since 10/6; the done row and later ones are not.
    assert 'data-testid="total-overdue">1</span>' in html  # Lydabsorbenter is done: not late
    assert "Opfølgningsmøde holdt på <strong>1</strong> af 5 steder, senest 15. jun. 2026" in html
    assert "Deadline for handleplaner: <strong>30. jun. 2026</strong> (om 10 dage)" in html
    assert re.search(r'class="org-lacks">[^<]*tovholder', html)  # why Skole B is not complete
    # The timeline: past milestones ticked, the trivselsdialoger now, the deadline marked.
    timeline = html[html.index('data-testid="timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert timeline.count('class="st-past"') == 4 and 'class="st-now"' in timeline
    assert 'class="st-next is-deadline"' in timeline
    # Per level: 1 kommune, 2 områder, 5 arbejdspladser.
    levels = html[html.index('data-testid="levels"') :]
    assert re.search(r"Arbejdsplads</th>\s*<td class=\"num\">5</td>\s*<td class=\"num\">3", levels)


def test_after_the_deadline_missing_plans_are_late(app, teacher, round_id, plans, monkeypatch):
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-07-03")
    html = teacher.get(f"/org/rounds/{round_id}").get_data(as_text=True)
    assert "overskredet for 3 dage siden" in html
    assert 'class="org-status st-missing is-late"' in html
    assert 'class="sw sw-late"' in html


def test_zoom_into_an_area(app, teacher, org, round_id, plans):
    html = teacher.get(f"/org/rounds/{round_id}?sted={org['Nord']}").get_data(as_text=True)
    assert set(statuses(html)) == {"Skole A", "Skole B", "Ældre C"}
    assert 'data-testid="zoom-out"' in html
    assert f"/org/rounds/{round_id}/print?sted={org['Nord']}" in html
    # A place outside the round's subtree is ignored: the whole round again.
    html = teacher.get(f"/org/rounds/{round_id}?sted=999999").get_data(as_text=True)
    assert "Dagtilbud E" in html and 'data-testid="zoom-out"' not in html


def test_round_settings_with_danish_errors(app, teacher, round_id):
    form = {
        "title": "Trivselsmåling og APV 2026",
        "deadline": "2026-07-01",
        "plans_from": "2026-04-01",
        "milestones": "08-04-2026 Spørgeskemaet åbner\n11/5/2026 - 30/6/2026 Dialoger\nsnart noget",
    }
    resp = post(teacher, f"/org/rounds/{round_id}", form, page="/org/")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Linje 3: skriv en dato og hvad der sker" in html and "snart noget" in html
    form["milestones"] = "08-04-2026 Spørgeskemaet åbner\n11/5/2026 - 30/6/2026 Dialoger\n"
    assert post(teacher, f"/org/rounds/{round_id}", form, page="/org/").status_code == 302
    with app.app_context():
        r = db.get(Round, round_id)
        assert str(r.deadline) == "2026-07-01" and len(r.milestones) == 2
        assert str(r.milestones[1].ends_on) == "2026-06-30"
    form["plans_from"] = "2026-08-01"
    resp = post(teacher, f"/org/rounds/{round_id}", form, page="/org/")
    assert "Planerne kan ikke tælle fra en dato efter deadline." in resp.get_data(as_text=True)


def test_print_is_one_a4_page_of_every_place(app, teacher, round_id, plans):
    resp = teacher.get(f"/org/rounds/{round_id}/print")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'class="org-print-body"' in html
    for name in ("Testkommune", "Nord", "Skole A", "Ældre C", "Syd", "Dagtilbud E"):
        assert f">{name}</td>" in html
    assert "Deadline for handleplaner: <strong>30. jun. 2026</strong>" in html
    css = teacher.get("/kinds.css").get_data(as_text=True)
    assert "@page org-a4 { size: A4 portrait" in css


def test_deleting_a_round_keeps_the_plans(app, teacher, org, round_id, plans):
    assert post(teacher, f"/org/rounds/{round_id}/delete", page="/org/").status_code == 302
    with app.app_context():
        assert db.get(Round, round_id) is None
    assert teacher.get(f"/org/rounds/{round_id}").status_code == 404
    assert "Handleplan Skole A" in teacher.get(f"/org/places/{org['Skole A']}").get_data(
        as_text=True
    )

"""Effect: a row reaching "Effekt evalueret" records "Har det virket?" and what was learned."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from facilitator import plans
from facilitator.db import db
from facilitator.plans import exports as plan_exports
from facilitator.plans.models import ActionPlan
from facilitator.plans.rules import PlanError
from tests.conftest import post
from tests.plans.conftest import committee

EVALUATED = 4  # "Effekt evalueret" on the default statuspil
HOSTILE = '<script>alert("x")</script> Vi lærte, at støj æder kræfter; =SUM(A1)'


@pytest.fixture
def row(app):
    with app.app_context():
        plan = plans.create_plan("Handleplan", "Bord 1")
        item = plans.add_item(plan, plans.read_item_form({"activity": "Lydabsorbenter"}), "Pia")
        yield item
        db.remove()


def test_evaluation_needs_the_answer_and_keeps_it_in_history(row):
    plans.move_stage(row, 3, row.version, "Pia")
    with pytest.raises(PlanError, match="Har det virket\\?"):
        plans.move_stage(row, EVALUATED, row.version, "Pia")
    db.rollback()
    with pytest.raises(PlanError, match="Har det virket\\?"):
        plans.move_stage(row, EVALUATED, row.version, "Pia", effect="måske")
    db.rollback()
    plans.move_stage(row, EVALUATED, row.version, "Ole", effect=" Delvist ", learned=HOSTILE)
    assert (row.stage, row.effect, row.learned) == (EVALUATED, "delvist", HOSTILE)
    last = row.changes[-1]
    assert (last.by_name, last.effect, last.learned, last.from_stage) == (
        "Ole",
        "delvist",
        HOSTILE,
        3,
    )


def test_a_second_evaluation_updates_and_a_decision_keeps_it(row):
    plans.move_stage(row, EVALUATED, row.version, "Pia", effect="nej", learned="For dyrt")
    plans.move_stage(row, EVALUATED, row.version, "Pia", effect="ja", learned="Det hjalp")
    assert (row.effect, row.learned, len(row.changes)) == ("ja", "Det hjalp", 3)
    plans.move_stage(row, EVALUATED, row.version, "Møde", decision="Vi fortsætter")
    assert (row.effect, row.changes[-1].decision) == ("ja", "Vi fortsætter")
    # Pressing the same stage again without anything new is agreement, not a new entry.
    plans.move_stage(row, EVALUATED, row.version, "Pia")
    assert len(row.changes) == 4


def test_moving_back_clears_the_evaluation_and_limits_hold(row):
    with pytest.raises(PlanError, match="højst 2000 tegn"):
        plans.move_stage(row, EVALUATED, row.version, "Pia", effect="ja", learned="æ" * 2001)
    db.rollback()
    plans.move_stage(row, EVALUATED, row.version, "Pia", effect="ja", learned="æ" * 2000)
    plans.move_stage(row, 1, row.version, "Pia", effect="ja")
    assert (row.stage, row.effect, row.learned) == (1, None, "")


def test_two_stages_have_no_evaluation(app):
    with app.app_context():
        plan = plans.create_plan("Kort", "Bord 2", ["Åben", "Lukket"])
        item = plans.add_item(plan, plans.read_item_form({"activity": "Ryd op"}), "Pia")
        plans.move_stage(item, 1, item.version, "Pia", effect="ja", learned="x")
        assert (item.stage, item.effect) == (1, None)
        db.remove()


# ---- over HTTP -----------------------------------------------------------------------------


def test_the_plan_page_asks_and_shows_the_effect_everywhere(app, teacher, plan):
    client = committee(app, plan)
    page = f"/plan/{plan.edit_token}"
    item = plan.items[0]
    path = f"{page}/items/{item.id}/stage"
    refused = post(client, path, {"stage": EVALUATED, "version": item.version}, page=page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "svar på «Har det virket?»" in html
    assert '<details class="pi-evaluate" open>' in html
    form = {"stage": EVALUATED, "version": item.version, "effect": "delvist", "learned": HOSTILE}
    assert post(client, path, form, page=page).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Har det virket? <strong>Delvist</strong>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert html.count("Vi lærte, at støj æder kræfter") >= 2  # on the row and in its history
    overview = teacher.get("/plans").get_data(as_text=True)
    assert "Har det virket? delvist: 1" in overview
    printed = client.get(f"{page}/print").get_data(as_text=True)
    assert "Har det virket? <strong>Delvist</strong>" in printed
    body = client.get(f"{page}/export.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Har det virket?"] == "Delvist" and first["Hvad lærte vi?"].startswith("<script>")
    book = load_workbook(io.BytesIO(client.get(f"{page}/export.xlsx").get_data()))
    history = [[c.value for c in r] for r in book["Historik"].iter_rows(min_row=2)]
    assert [h[-2:] for h in history if h[-2]] == [["Delvist", HOSTILE]]
    assert (
        plan_exports.HEADER.index("Hvad lærte vi?")
        == plan_exports.HEADER.index("Har det virket?") + 1
    )


def test_the_meeting_records_the_effect(app, plan, monkeypatch):
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-08-20")
    client = committee(app, plan, "Mødeleder")
    item = plan.items[1]
    meeting = f"/plan/{plan.edit_token}/meeting"
    html = client.get(f"{meeting}?row=2").get_data(as_text=True)
    assert "<legend>Har det virket?</legend>" in html
    bad = post(
        client,
        f"{meeting}/{item.id}",
        {"stage": EVALUATED, "version": item.version, "decision": "Godt"},
        page=meeting,
    )
    assert bad.status_code == 422 and "Har det virket?" in bad.get_data(as_text=True)
    form = {"stage": EVALUATED, "version": item.version, "effect": "ja", "learned": "Tal sammen"}
    assert post(client, f"{meeting}/{item.id}", form, page=meeting).status_code == 302
    with app.app_context():
        kept = db.get(ActionPlan, plan.id).items[1]
        assert (kept.effect, kept.learned) == ("ja", "Tal sammen")
        assert kept.changes[-1].at.date() == date(2026, 8, 20)

"""Plan rules and domain: stages, overdue in Danish time, the clock, conflicts, history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from facilitator import plans
from facilitator.db import db
from facilitator.plans import rules as plan_rules
from facilitator.plans.rules import PlanError

STAGES = plan_rules.DEFAULT_STAGES


def row(stage: int = 0, deadline: date | None = None, priority: int = 2, position: int = 1):
    return SimpleNamespace(stage=stage, deadline=deadline, priority=priority, position=position)


def plan_of(*items, stages=STAGES):
    return SimpleNamespace(stages=list(stages), items=list(items))


# ---- stages --------------------------------------------------------------------------------


def test_default_statuspil_keeps_done_and_effect_apart():
    assert plan_rules.parse_stages("") == [
        "Ikke startet",
        "I gang",
        "Næsten",
        "Gennemført",
        "Effekt evalueret",
    ]
    assert plan_rules.done_stage(STAGES) == 3  # "Gennemført"; the last one asks if it helped
    assert plan_rules.done_stage(["Åben", "Lukket"]) == 1
    assert plan_rules.done_stage(["A", "B", "C"]) == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("Kun ét", "mellem 2 og 8"),
        ("\n".join(f"Trin {i}" for i in range(9)), "mellem 2 og 8"),
        ("I gang\ni  GANG", "samme navn"),
        ("Ikke startet\n" + "x" * 41, "40 tegn"),
        ([1, 2], "tekster"),
    ],
)
def test_bad_statuspil_is_refused_in_danish(raw, message):
    with pytest.raises(PlanError, match=message):
        plan_rules.parse_stages(raw)


def test_stage_names_are_tidied():
    assert plan_rules.parse_stages("  Ikke   startet \n\n Færdig ") == ["Ikke startet", "Færdig"]


# ---- overdue and the clock -----------------------------------------------------------------


def test_overdue_only_after_the_deadline_day_and_never_when_done():
    on = date(2026, 6, 30)
    p = plan_of()
    assert not plan_rules.is_overdue(row(deadline=date(2026, 6, 30)), p, on)
    assert plan_rules.is_overdue(row(deadline=date(2026, 6, 29)), p, on)
    assert plan_rules.is_overdue(row(stage=2, deadline=date(2026, 6, 1)), p, on)  # "næsten"
    assert not plan_rules.is_overdue(row(stage=3, deadline=date(2026, 6, 1)), p, on)
    assert not plan_rules.is_overdue(row(stage=4, deadline=date(2026, 6, 1)), p, on)
    assert not plan_rules.is_overdue(row(deadline=None), p, on)


def test_today_is_danish_time_not_utc(monkeypatch):
    monkeypatch.delenv("FACILITATOR_TODAY", raising=False)
    # 22.30 UTC on 29 June is 00.30 on 30 June in Copenhagen (summer time).
    monkeypatch.setattr(plan_rules, "utcnow", lambda: datetime(2026, 6, 29, 22, 30, tzinfo=UTC))
    assert plan_rules.today() == date(2026, 6, 30)
    # In winter the difference is one hour: 23.30 UTC on 31 Dec is already New Year.
    monkeypatch.setattr(plan_rules, "utcnow", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert plan_rules.today() == date(2027, 1, 1)
    monkeypatch.setattr(plan_rules, "utcnow", lambda: datetime(2026, 12, 31, 22, 30, tzinfo=UTC))
    assert plan_rules.today() == date(2026, 12, 31)


def test_the_clock_can_be_moved_and_history_moves_with_it(monkeypatch):
    real = datetime(2026, 3, 18, 9, 15, tzinfo=UTC)
    monkeypatch.setattr(plan_rules, "utcnow", lambda: real)
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-05-06")
    assert plan_rules.today() == date(2026, 5, 6)
    assert plan_rules.now() == datetime(2026, 5, 6, 9, 15, tzinfo=UTC)
    monkeypatch.setenv("FACILITATOR_TODAY", "")
    assert plan_rules.today() == date(2026, 3, 18) and plan_rules.now() == real


def test_due_text_in_danish():
    on, p = date(2026, 5, 10), plan_of()
    assert plan_rules.due_text(row(deadline=date(2026, 5, 9)), p, on) == "1 dag over fristen"
    assert plan_rules.due_text(row(deadline=date(2026, 5, 1)), p, on) == "9 dage over fristen"
    assert plan_rules.due_text(row(deadline=on), p, on) == "i dag"
    assert plan_rules.due_text(row(deadline=date(2026, 5, 11)), p, on) == "i morgen"
    assert plan_rules.due_text(row(deadline=date(2026, 5, 20)), p, on) == "om 10 dage"
    assert plan_rules.due_text(row(stage=3, deadline=date(2026, 5, 1)), p, on) == ""


def test_sections_put_overdue_first_then_next_deadlines():
    on = date(2026, 5, 10)
    late_b = row(deadline=date(2026, 5, 5), position=1)
    late_a = row(deadline=date(2026, 4, 1), position=2)
    soon = row(deadline=date(2026, 5, 12), position=3)
    later = row(deadline=date(2026, 6, 30), position=4)
    undated_low = row(priority=3, position=5)
    undated_high = row(priority=1, position=6)
    done = row(stage=4, deadline=date(2026, 1, 1), position=7)
    p = plan_of(later, undated_low, late_b, soon, done, late_a, undated_high)
    out = plan_rules.sections(p, on)
    assert out["overdue"] == [late_a, late_b]
    assert out["upcoming"] == [soon, later]
    assert out["undated"] == [undated_high, undated_low]
    assert out["done"] == [done]
    s = plan_rules.summary(p, on)
    assert s["overdue"] == 2 and s["soon"] == 1 and s["next_deadline"] == date(2026, 5, 12)
    assert dict(s["by_stage"]) == {
        "Ikke startet": 6,
        "I gang": 0,
        "Næsten": 0,
        "Gennemført": 0,
        "Effekt evalueret": 1,
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-06-30", date(2026, 6, 30)),
        ("30-06-2026", date(2026, 6, 30)),
        ("30.6.2026", date(2026, 6, 30)),
        ("1/7/2026", date(2026, 7, 1)),
        ("", None),
        ("  ", None),
    ],
)
def test_dates_typed_the_danish_way(raw, expected):
    assert plan_rules.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["30. juni", "2026-02-30", "31-02-2026", "1-1-1999", "i morgen"])
def test_bad_dates_are_refused(raw):
    with pytest.raises(PlanError, match="Deadline"):
        plan_rules.parse_date(raw)


# ---- the domain, on a database -------------------------------------------------------------


@pytest.fixture
def plan(app):
    with app.app_context():
        yield plans.create_plan("Handleplan", "Bord 1")
        db.remove()


def form(**kw):
    base = {"theme": "Støj", "activity": "Lydabsorbenter", "tovholder": "Åse", "priority": "2"}
    return plans.read_item_form({**base, **kw})


def test_tokens_are_long_random_and_distinct(plan):
    assert len(plan.edit_token) >= 40 and len(plan.view_token) >= 40
    assert plan.edit_token != plan.view_token
    assert plans.by_token(plan.view_token, edit=True) is None
    assert plans.by_token(plan.view_token, edit=False) is plan
    assert plans.by_token(plan.edit_token, edit=False) is plan
    assert plans.by_token("", edit=False) is None and plans.by_token("x" * 65, edit=False) is None
    old = plan.edit_token
    plans.renew_token(plan, "edit")
    assert plans.by_token(old, edit=True) is None and plan.edit_token != old
    plans.revoke_token(plan, "view")
    assert plan.view_token is None
    with pytest.raises(PlanError):
        plans.renew_token(plan, "owner_id")


def test_row_form_validation():
    with pytest.raises(PlanError, match="Skriv en aktivitet"):
        plans.read_item_form({"tovholder": "Bo"})
    with pytest.raises(PlanError, match="Prioritet"):
        plans.read_item_form({"activity": "x", "priority": "9"})
    with pytest.raises(PlanError, match="«Tovholder» er for lang"):
        plans.read_item_form({"activity": "x", "tovholder": "x" * 121})
    data = plans.read_item_form({"activity": "  Møde \n om   støj ", "note": "Linje 1\r\nLinje 2"})
    assert data.activity == "Møde om støj" and data.note == "Linje 1\nLinje 2"


def test_add_keeps_history_and_a_double_tap_adds_once(plan):
    item = plans.add_item(plan, form(), "Pia")
    twin = plans.add_item(plan, form(), "Pia")
    assert twin is item and len(plan.items) == 1
    other = plans.add_item(plan, form(activity="Noget andet"), "Pia")
    assert other.position == 2
    imported = plans.add_item(plan, form(theme="Tema"), "Ole", source="Idétavle")
    again = plans.add_item(plan, form(theme="tema"), "Kim", source="Idétavle")
    assert again is imported and len(plan.items) == 3
    with pytest.raises(PlanError, match="Skriv dit navn"):
        plans.add_item(plan, form(activity="Uden navn"), "  ")
    assert [(c.from_stage, c.to_stage, c.by_name) for c in item.changes] == [(None, 0, "Pia")]


def test_edits_carry_their_version_and_a_conflict_keeps_current_values(plan):
    item = plans.add_item(plan, form(), "Pia")
    base = item.version
    plans.update_item(item, form(tovholder="Ole"), base, "Ole")
    assert item.version == base + 1 and item.tovholder == "Ole"
    with pytest.raises(plans.Conflict) as caught:
        plans.update_item(item, form(activity="Mit eget"), base, "Kim")
    assert "Ole har ændret rækken" in str(caught.value)
    assert caught.value.item.tovholder == "Ole" and caught.value.item.activity == "Lydabsorbenter"
    # The same values as now are no conflict: nothing to lose.
    assert plans.update_item(item, form(tovholder="Ole"), base, "Kim") is item
    plans.update_item(
        item, form(tovholder="Ole", deadline="2026-06-30", priority="1"), item.version, "Kim"
    )
    notes = [c.note for c in item.changes]
    assert "Ændret: Tovholder" in notes
    assert "Ændret: Deadline ingen → 30. jun. 2026, Prioritet Mellem → Høj" in notes


def test_stage_moves_and_meeting_decisions(plan):
    item = plans.add_item(plan, form(), "Pia")
    v = item.version
    plans.move_stage(item, 1, v, "Pia")
    assert plans.move_stage(item, 1, v, "Ole") is item  # same stage at once: agreement
    with pytest.raises(plans.Conflict, match="står nu på «I gang»"):
        plans.move_stage(item, 2, v, "Ole")
    with pytest.raises(PlanError, match="findes ikke"):
        plans.move_stage(item, 5, item.version, "Ole")
    plans.move_stage(item, 1, item.version, "Mødet", decision="Vi venter på tilbud")
    last = item.changes[-1]
    assert (last.from_stage, last.to_stage, last.decision) == (1, 1, "Vi venter på tilbud")
    assert len(item.changes) == 3  # created, moved, decided: the agreeing tap left no trace


def test_delete_needs_the_current_version(plan):
    item = plans.add_item(plan, form(), "Pia")
    with pytest.raises(plans.Conflict):
        plans.delete_item(item, item.version + 5)
    plans.delete_item(item, item.version)
    assert plan.items == []


def test_statuspil_cannot_shrink_below_a_rows_stage(plan):
    item = plans.add_item(plan, form(), "Pia")
    plans.move_stage(item, 4, item.version, "Pia", effect="ja")
    with pytest.raises(PlanError, match="Effekt evalueret"):
        plans.update_plan(plan, "Plan", "Ikke startet\nFærdig", None)
    db.rollback()
    plans.update_plan(plan, "Plan", "A\nB\nC\nD\nE\nF", "2026-09-01")
    assert plan.stages[-1] == "F" and plan.next_followup == date(2026, 9, 1)

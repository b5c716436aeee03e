"""APV completeness: a plan checked against Arbejdstilsynet's rules, the texts in Danish."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from facilitator.plans import apv
from facilitator.plans.rules import DEFAULT_STAGES

ON = date(2026, 6, 30)


def row(theme="Støj", activity="Lydabsorbenter", tovholder="Åse", deadline=ON, stage=0):
    return SimpleNamespace(
        theme=theme, activity=activity, tovholder=tovholder, deadline=deadline, stage=stage
    )


def plan_of(*items, followup=date(2026, 9, 1), view_token="v" * 43, stages=DEFAULT_STAGES):
    return SimpleNamespace(
        items=list(items), next_followup=followup, view_token=view_token, stages=list(stages)
    )


def test_a_complete_plan_lacks_nothing():
    assert apv.missing(plan_of(row(), row(theme="Travlhed")), on=ON) == []


def test_an_empty_plan_lacks_its_problems():
    found = apv.missing(plan_of(), on=ON)
    assert found == ["Planen har ingen rækker: skriv de problemer, der skal løses, og hvordan."]


def test_each_rule_names_the_rows_that_break_it():
    plan = plan_of(
        row(theme=""),
        row(tovholder="", deadline=None),
        row(activity="", tovholder=""),
        row(tovholder=""),
        followup=None,
        view_token=None,
    )
    assert apv.missing(plan, on=ON) == [
        "Problemet mangler i række 1 (hvilket arbejdsmiljøproblem skal løses?)",
        "Løsningen mangler i række 3 (hvad gør I for at løse det?)",
        "Den ansvarlige mangler i rækkerne 2, 3 og 4 (hvem er tovholder?)",
        "Deadline mangler i række 2 (hvornår skal det være løst?)",
        "Opfølgningen mangler: sæt en dato for næste opfølgningsmøde.",
        "Planen er ikke tilgængelig for alle: læselinket er lukket. Forny det, så alle "
        "medarbejdere kan se planen.",
    ]


def test_a_passed_followup_is_no_followup_but_the_day_itself_still_counts():
    plan = plan_of(row(), followup=ON)
    assert apv.missing(plan, on=ON) == []
    assert apv.missing(plan, on=date(2026, 7, 1)) == [
        "Opfølgningen 30. jun. 2026 er passeret: sæt en dato for næste opfølgningsmøde."
    ]


def test_evaluated_rows_need_no_further_followup():
    done = len(DEFAULT_STAGES) - 1
    assert apv.missing(plan_of(row(stage=done), followup=None), on=ON) == []
    # With only two stages the last one is "done", not the evaluation: follow-up still needed.
    two = plan_of(row(stage=1), followup=None, stages=["Åben", "Lukket"])
    assert apv.missing(two, on=ON) == [
        "Opfølgningen mangler: sæt en dato for næste opfølgningsmøde."
    ]


def test_long_danish_text_at_the_limits_passes():
    long = "Ærgerligt støjende ventilation i øvelokalet " * 10
    assert apv.missing(plan_of(row(theme=long[:300], activity=long[:500])), on=ON) == []


def test_the_clock_is_read_from_today_when_not_given(monkeypatch):
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-09-02")
    assert "er passeret" in apv.missing(plan_of(row()))[0]
    assert apv.danish_list([7]) == "7" and apv.danish_list([1, 2]) == "1 og 2"


# ---- on the pages --------------------------------------------------------------------------


def test_plan_page_and_overview_show_what_is_missing(app, teacher, plan, monkeypatch):
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-03-10")
    html = app.test_client().get(f"/plan/{plan.edit_token}").get_data(as_text=True)
    assert "Det mangler planen for at være en APV-handlingsplan" in html
    assert "Den ansvarlige mangler i række 2 (hvem er tovholder?)" in html
    assert "Opfølgningen mangler" in html
    assert "Problemet mangler i række 2" in html  # the second row has no theme
    view = app.test_client().get(f"/plan/v/{plan.view_token}").get_data(as_text=True)
    assert "Den ansvarlige mangler i række 2" in view
    overview = teacher.get("/plans").get_data(as_text=True)
    assert 'data-testid="total-apv">2<' in overview
    assert "Den ansvarlige mangler i række 2 (hvem er tovholder?)" in overview

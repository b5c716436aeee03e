"""Årshjul, pure logic: parsing, items on months or quarters, limits, projector cells, iCal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from exercises.annual_wheel import AnnualWheel
from exercises.annual_wheel.calendar import first_day, wheel_ics
from exercises.annual_wheel.logic import MONTH_LINES, wheel
from facilitator.kinds import ContentError, Rejected, StepView

kind = AnnualWheel()
NOW = datetime(2026, 2, 26, 13, 0, tzinfo=UTC)
B1, B2 = SimpleNamespace(id=1, name="Bord 1"), SimpleNamespace(id=2, name="Bord 2")
PIA = SimpleNamespace(id=1, name="Pia Hansen", group_id=1)
LONE = SimpleNamespace(id=3, name="Lone", group_id=None)
NEW = {"op": "save", "item": "new", "title": "APV", "period": "3"}


def item(gid, n, title, period, **extra):
    payload = {"title": title, "period": period, "note": "", **extra}
    return SimpleNamespace(id=gid * 100 + n, owner=f"g:{gid}", slot=f"item:{n}", payload=payload)


def view(responses=(), state=None, participant=None, **content):
    parsed = kind.parse({"task": "Hvornår?", **content})
    step = SimpleNamespace(state=state if state is not None else kind.initial_state(parsed))
    workshop = SimpleNamespace(min_anonymous=5, groups=[B1, B2])
    return StepView(
        workshop, step, parsed, NOW, responses=list(responses), participants=[PIA, LONE],
        participant=participant,
    )  # fmt: skip


TABLE1 = [item(1, 1, "Budget", 9), item(1, 2, "APV", 3), item(1, 3, "Trivsel", 3)]


def test_parse_names_the_field_in_danish():
    with pytest.raises(ContentError) as caught:
        kind.parse({"unit": "uger"})
    assert caught.value.field == "unit" and "«Inddeling»" in str(caught.value)
    with pytest.raises(ContentError) as caught:
        kind.parse({"max_items": 0})
    assert "«Højst punkter pr. bord»" in str(caught.value)
    with pytest.raises(ContentError) as caught:
        kind.parse({"year": 27})
    assert caught.value.field == "year" and str(caught.value).startswith("«År» skal være 0")
    assert kind.parse({"year": 2027}).year == 2027 and kind.parse({}).year == 0
    assert kind.parse({}).periods[2] == "Marts"
    assert kind.parse({"unit": "quarter"}).periods == (
        "1. kvartal", "2. kvartal", "3. kvartal", "4. kvartal",
    )  # fmt: skip


def test_items_land_on_their_month_in_the_tables_own_numbering():
    sub = kind.accept(view(TABLE1, participant=PIA), NEW)
    assert (sub.slot, sub.scope, sub.payload) == (
        "item:4", "group", {"title": "APV", "period": 3, "note": ""},
    )  # fmt: skip
    items, used = wheel(TABLE1, 12)
    assert [(i.period, i.title) for i in items] == [(3, "APV"), (3, "Trivsel"), (9, "Budget")]
    assert used == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [({"title": ""}, "Skriv"), ({"period": "13"}, "Vælg en måned"), ({"period": "x"}, "måned")],
)
def test_bad_items_are_refused_in_danish(change, message):
    with pytest.raises(Rejected, match=message):
        kind.accept(view(participant=PIA), {**NEW, **change})


def test_quarters_take_four_periods_only():
    with pytest.raises(Rejected, match="Vælg et kvartal"):
        kind.accept(view(participant=PIA, unit="quarter"), {**NEW, "period": "5"})
    assert kind.accept(view(participant=PIA, unit="quarter"), {**NEW, "period": "4"})


def test_limits_tables_and_locks():
    with pytest.raises(Rejected, match="højeste antal"):
        kind.accept(view(TABLE1, participant=PIA, max_items=3), NEW)
    with pytest.raises(Rejected, match="ikke ved et bord"):
        kind.accept(view(participant=LONE), NEW)
    with pytest.raises(Rejected, match="låst"):
        kind.accept(view(TABLE1, {"locked": True}, participant=PIA), NEW)
    deleted = kind.accept(view(TABLE1, participant=PIA), {"op": "delete", "item": "2"})
    assert deleted.payload == {"deleted": True}


def test_the_projector_fits_a_months_titles_on_one_line_and_counts_the_rest():
    crowded = [item(1, n, f"Punkt nummer {n}", 5) for n in range(1, 6)]  # 15 characters each
    ctx = kind.context("projector", view(crowded))
    may = ctx["rows"][4]
    assert may["name"] == "Maj" and may["cells"][0] == (["Punkt nummer 1", "Punkt nummer 2"], 3)
    assert may["cells"][1] == ([], 0)  # Bord 2 wrote nothing in May
    big = kind.context(
        "projector", view(crowded, kind.apply(view(crowded), "project", {"group": "1"}))
    )
    assert big["one"] and len(big["rows"][4]["cells"]) == 1 and big["rows"][4]["cells"][0][1] == 1
    long = [item(1, 1, "Et punkt med en meget, meget lang titel om arbejdsmiljøet i MED", 1)]
    groups = [SimpleNamespace(id=i, name=f"Bord {i}") for i in (1, 2, 3)]
    v = view(long)
    v.workshop.groups = groups
    assert kind.context("projector", v)["rows"][0]["cells"][0] == ([], 1)  # never cut off


def test_a_title_too_long_for_one_line_gets_two_while_the_screen_has_room():
    every = [
        item(1, m, f"Trivselsundersøgelsesresultaterne nr. {m}", m) for m in range(1, 13)
    ]  # 36-37 characters: more than one line of two tables side by side, less than two
    rows = kind.context("projector", view(every))["rows"]
    shown = [len(r["cells"][0][0]) for r in rows]
    extra = MONTH_LINES[False] - 12  # in the year's order, while the lines last
    assert shown == [1] * extra + [0] * (12 - extra), shown
    assert all(r["cells"][0][1] == 1 - len(r["cells"][0][0]) for r in rows)  # none lost


def test_results_name_the_months_and_no_one():
    result = kind.results(view(TABLE1))
    assert result["tables"][0]["items"][0] == {"period": "Marts", "title": "APV", "note": ""}
    assert result["tables"][1] == {"table": "Bord 2", "items": []}
    assert "Pia" not in str(result)


def test_the_calendar_repeats_each_item_yearly_from_its_first_day():
    content = kind.parse({"unit": "quarter"})
    items, _ = wheel([item(1, 1, "Budget", 3)], 4)
    assert first_day(content, items[0], 2027) == date(2027, 7, 1)
    text = wheel_ics(("Bord 1", content, items, 2027)).decode()
    assert "DTSTART;VALUE=DATE:20270701" in text and "RRULE:FREQ=YEARLY" in text
    assert "SUMMARY:Årshjul: Budget" in text

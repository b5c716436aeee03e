"""Dagsorden, pure logic: parsing, items per table, priority moves, time totals, results."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from exercises.agenda import Agenda
from exercises.agenda.logic import agenda, totals
from facilitator.kinds import ContentError, Rejected, StepView

kind = Agenda()
NOW = datetime(2026, 2, 26, 11, 0, tzinfo=UTC)
B1, B2 = SimpleNamespace(id=1, name="Bord 1"), SimpleNamespace(id=2, name="Bord 2")
PIA = SimpleNamespace(id=1, name="Pia Hansen", group_id=1)
LONE = SimpleNamespace(id=3, name="Lone", group_id=None)
NEW = {"op": "save", "item": "new", "title": "Budget 2027", "type": "beslutning", "minutes": "30"}


def item(gid, n, title, kind_="information", minutes=10, **extra):
    payload = {"title": title, "type": kind_, "minutes": minutes, "note": "", **extra}
    return SimpleNamespace(id=gid * 100 + n, owner=f"g:{gid}", slot=f"item:{n}", payload=payload)


def order(gid, ids):
    return SimpleNamespace(id=gid * 100 + 99, owner=f"g:{gid}", slot="order", payload={"ids": ids})


def view(responses=(), state=None, participant=None, **content):
    parsed = kind.parse({"meeting": "MED-møde", "minutes": 60, **content})
    step = SimpleNamespace(state=state if state is not None else kind.initial_state(parsed))
    workshop = SimpleNamespace(min_anonymous=5, groups=[B1, B2])
    return StepView(
        workshop, step, parsed, NOW, responses=list(responses), participants=[PIA, LONE],
        participant=participant,
    )  # fmt: skip


TABLE1 = [item(1, 1, "Orientering"), item(1, 2, "Budget", "beslutning", 40), item(1, 3, "APV")]


def test_parse_names_the_field_in_danish():
    with pytest.raises(ContentError) as caught:
        kind.parse({})
    assert str(caught.value).startswith("«Mødet» mangler")
    with pytest.raises(ContentError) as caught:
        kind.parse({"meeting": "x", "minutes": 5})
    assert caught.value.field == "minutes" and "«Mødets længde i minutter»" in str(caught.value)


def test_a_new_item_gets_the_next_number_of_its_table_whatever_the_form_says():
    sub = kind.accept(view(TABLE1, participant=PIA), NEW)
    assert (sub.slot, sub.scope) == ("item:4", "group")
    assert sub.payload == {"title": "Budget 2027", "type": "beslutning", "minutes": 30, "note": ""}
    deleted = [*TABLE1, item(1, 4, "", deleted=True)]
    assert kind.accept(view(deleted, participant=PIA), NEW).slot == "item:5"  # never reused


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": " "}, "overskrift"),
        ({"type": "hurtigt"}, "information, drøftelse eller beslutning"),
        ({"minutes": "0"}, "minutter"),
        ({"minutes": "٣"}, "minutter"),
        ({"note": "x" * 1001}, "højst 1000 tegn"),
    ],
)
def test_bad_items_are_refused_in_danish(change, message):
    with pytest.raises(Rejected, match=message):
        kind.accept(view(participant=PIA), {**NEW, **change})


def test_limits_tables_and_locks():
    with pytest.raises(Rejected, match="højeste antal"):
        kind.accept(view(TABLE1, participant=PIA, max_items=3), NEW)
    with pytest.raises(Rejected, match="ikke ved et bord"):
        kind.accept(view(participant=LONE), NEW)
    with pytest.raises(Rejected, match="findes ikke"):
        kind.accept(view(TABLE1, participant=PIA), {**NEW, "item": "7"})
    with pytest.raises(Rejected, match="låst"):
        kind.accept(view(TABLE1, {"locked": True}, participant=PIA), NEW)


def test_moving_an_item_up_writes_the_tables_order():
    sub = kind.accept(view(TABLE1, participant=PIA), {"op": "move", "item": "2", "dir": "up"})
    assert (sub.slot, sub.payload) == ("order", {"ids": [2, 1, 3]})
    items, _ = agenda([*TABLE1, order(1, [2, 1])])
    assert [(i.position, i.title) for i in items] == [(1, "Budget"), (2, "Orientering"), (3, "APV")]


def test_totals_say_how_the_time_fits_the_meeting():
    items, _ = agenda(TABLE1)
    assert totals(items, 60)["words"] == "præcis tiden"
    assert totals(items, 45) == {
        "used": 60,
        "of": 45,
        "left": -15,
        "over": True,
        "words": "15 min for meget",
    }
    assert totals(items[:1], 60)["words"] == "50 min til overs"


def test_results_export_each_table_and_offer_decisions_to_the_plan():
    result = kind.results(view([*TABLE1, item(2, 1, "Trivsel", "droeftelse")]))
    first = result["tables"][0]
    assert first["table"] == "Bord 1" and first["total_minutes"] == 60
    assert first["items"][1] == {
        "position": 2, "title": "Budget", "type": "Beslutning", "minutes": 40, "note": "",
    }  # fmt: skip
    assert result["plan_candidates"] == [
        {"theme": "Budget", "activity": "", "source": "Dagsorden", "group_id": 1, "weight": 2}
    ]
    assert "Pia" not in str(result)


def test_the_projector_shows_what_fits_per_table_and_counts_the_rest():
    many = [item(1, n, f"Punkt {n}") for n in range(1, 10)]  # one line each: 2.1 lines a row
    ctx = kind.context("projector", view(many))
    assert len(ctx["shown"][0]["items"]) == 5 and ctx["shown"][0]["more"] == 4
    long = [item(1, n, "Et langt punkt om " + "arbejdsmiljø " * 7) for n in range(1, 4)]
    ctx = kind.context("projector", view(long))
    assert len(ctx["shown"][0]["items"]) == 1 and ctx["shown"][0]["more"] == 2
    big = kind.context("projector", view(many, kind.apply(view(many), "project", {"group": "1"})))
    assert big["one"] and len(big["shown"]) == 1 and len(big["shown"][0]["items"]) == 3


def test_more_than_two_tables_are_paged_by_the_instructor():
    groups = [SimpleNamespace(id=i, name=f"Bord {i}") for i in range(1, 6)]
    v = view()
    v.workshop.groups = groups
    assert [t["name"] for t in kind.context("projector", v)["shown"]] == ["Bord 1", "Bord 2"]
    v.step.state = kind.apply(v, "page", {"page": "2"})
    ctx = kind.context("projector", v)
    assert [t["name"] for t in ctx["shown"]] == ["Bord 5"] and ctx["pages"] == 3

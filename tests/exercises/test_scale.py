"""The scale kind's pure logic: parsing, actions, acceptance, anonymity threshold."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from exercises.scale import Scale
from facilitator.kinds import ContentError, Rejected, StepView

kind = Scale()
NOW = datetime(2026, 2, 25, 12, 5, tzinfo=UTC)


def view(
    values: list[int] = (),
    points: int = 5,
    revealed: bool = True,
    min_anonymous: int = 5,
    is_open: bool = True,
):
    content = kind.parse({"statement": "Udsagn", "points": points})
    responses = [
        SimpleNamespace(owner=f"p:{i}", payload={"value": v}) for i, v in enumerate(values, 1)
    ]
    step = SimpleNamespace(state={"open": is_open, "revealed": revealed})
    workshop = SimpleNamespace(min_anonymous=min_anonymous, groups=[])
    return StepView(workshop, step, content, NOW, responses=responses)


def test_parse_defaults_to_five_danish_labels():
    content = kind.parse({"statement": " Hvor enig er du? "})
    assert content.statement == "Hvor enig er du?"
    assert content.points == 5
    assert content.labels[0] == "Helt uenig" and content.labels[-1] == "Helt enig"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "«Udsagn» mangler."),
        ({"statement": "x", "points": 6}, "5 eller 7"),
        ({"statement": "x", "points": 9}, "mellem 5 og 7"),
        ({"statement": "x", "labels": ["a", "b"]}, "5 navne"),
        ({"statement": "x" * 301}, "for lang"),
    ],
)
def test_parse_rejects_bad_content_in_danish(raw, message):
    with pytest.raises(ContentError, match=message):
        kind.parse(raw)


def test_actions_return_new_state_without_mutating():
    v = view(revealed=False)
    closed = kind.apply(v, "close", {})
    assert closed == {"open": False, "revealed": False}
    assert v.state == {"open": True, "revealed": False}
    v.step.state = closed
    assert kind.apply(v, "reveal", {})["revealed"] is True
    with pytest.raises(Rejected):
        kind.apply(v, "explode", {})


@pytest.mark.parametrize("value", ["0", "6", "-1", "", "tre", "2.5", "1e1"])
def test_accept_rejects_values_out_of_range(value):
    with pytest.raises(Rejected, match="fra 1 til 5"):
        kind.accept(view(), {"value": value})


def test_accept_stores_one_answer_slot_and_refuses_when_closed():
    sub = kind.accept(view(points=7), {"value": "7"})
    assert (sub.slot, sub.payload, sub.scope) == ("answer", {"value": 7}, "participant")
    with pytest.raises(Rejected, match="lukket"):
        kind.accept(view(is_open=False), {"value": "3"})


def test_distribution_hidden_below_threshold_even_when_revealed():
    ctx = kind.context("projector", view([1, 2, 5, 5]))
    assert ctx["answers"] == 4 and not ctx["enough"] and "bars" not in ctx
    assert kind.results(view([1, 2, 5, 5]))["distribution"] is None


def test_distribution_shown_from_five_answers():
    ctx = kind.context("projector", view([1, 2, 5, 5, 5]))
    assert [b["count"] for b in ctx["bars"]] == [1, 1, 0, 0, 3]
    assert ctx["bars"][4]["share"] == 60
    assert kind.results(view([1, 2, 5, 5, 5]))["distribution"]["Helt enig"] == 3


def test_threshold_can_only_be_raised():
    assert not kind.context("controls", view([1] * 7, min_anonymous=8))["enough"]
    assert kind.context("controls", view([1] * 5, min_anonymous=2))["enough"]

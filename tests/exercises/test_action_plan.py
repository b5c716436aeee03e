"""The action_plan kind's pure logic: content, phases, and rows offered by earlier steps."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from exercises.action_plan import ActionPlanKind, sources
from facilitator.kinds import ContentError, Rejected, StepView

kind = ActionPlanKind()
NOW = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)


def view(state=None, participant=None, **content):
    parsed = kind.parse({"prompt": "Hvad gør vi?", **content})
    step = SimpleNamespace(id=7, position=3, kind="action_plan", title="Plan", state=state or {})
    workshop = SimpleNamespace(id=1, groups=[], steps=[], min_anonymous=5)
    return StepView(workshop, step, parsed, NOW, participant=participant)


def test_parse_defaults():
    content = kind.parse(kind.example)
    assert content.plan_title == "Handleplan" and content.from_earlier is True
    assert content.stages[0] == "Ikke startet" and content.stages[-1] == "Effekt evalueret"
    custom = kind.parse({"prompt": "x", "stages": ["Idé", "I gang", "Færdig"], "plan_title": "HP"})
    assert custom.stages == ["Idé", "I gang", "Færdig"] and custom.plan_title == "HP"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "«Opgave til grupperne» mangler"),
        ({"prompt": "x", "stages": ["Kun ét"]}, "mellem 2 og 8"),
        ({"prompt": "x", "stages": "a\nA"}, "samme navn"),
        ({"prompt": "x", "plan_title": "y" * 121}, "«Planens titel» er for lang"),
        ({"prompt": 5}, "skal være en tekst"),
    ],
)
def test_parse_errors_are_danish(raw, message):
    with pytest.raises(ContentError, match=message):
        kind.parse(raw)


def test_phases_are_new_state_without_mutation():
    v = view({"phase": "build"})
    links = kind.apply(v, "links", {"base_url": "http://10.0.0.5:5000/"})
    assert links == {"phase": "links", "base_url": "http://10.0.0.5:5000"}
    assert v.state == {"phase": "build"}
    v.step.state = links
    assert kind.apply(v, "build", {}) == {"phase": "build", "base_url": "http://10.0.0.5:5000"}
    with pytest.raises(Rejected, match="Ugyldig adresse"):
        kind.apply(v, "links", {"base_url": "javascript:alert(1)"})
    with pytest.raises(Rejected):
        kind.apply(v, "delete_everything", {})


def test_phones_do_not_submit_through_the_core():
    with pytest.raises(Rejected, match="knapperne"):
        kind.accept(view(), {"activity": "x"})


def test_phones_of_a_group_share_one_render():
    pia = SimpleNamespace(id=1, group_id=4)
    ole = SimpleNamespace(id=2, group_id=4)
    kim = SimpleNamespace(id=3, group_id=5)
    keys = [kind.phone_key(view({"phase": "build"}, p)) for p in (pia, ole, kim)]
    assert keys[0] == keys[1] != keys[2]
    assert kind.phone_key(view({"phase": "links"}, pia)) != keys[0]


# ---- rows from earlier steps ---------------------------------------------------------------

STEP = SimpleNamespace(title="Idétavle: hvad fylder?")


def test_plan_candidates_are_cleaned_sorted_and_filtered_to_the_group():
    result = {
        "plan_candidates": [
            {"theme": "  Støj   i frokoststuen ", "weight": 3, "source": "Idétavle"},
            {"theme": "Nye kolleger", "weight": 9},
            {"theme": "støj i frokoststuen", "weight": 1},  # the same theme again
            {"theme": "Kun bord 2", "group_id": 2},
            {"theme": "", "activity": "Ingen tema"},
            "ikke en række",
            {"theme": "x" * 400, "activity": "y" * 600},
        ]
    }
    rows = sources.normalise(result, STEP, group_id=1)
    assert [r["theme"][:12] for r in rows] == ["Nye kolleger", "Støj i froko", "x" * 12]
    assert rows[0]["source"] == "Idétavle: hvad fylder?"  # no source: the step's title
    assert rows[1]["source"] == "Idétavle"
    assert len(rows[2]["theme"]) == 300 and len(rows[2]["activity"]) == 500
    assert "Kun bord 2" in [r["theme"] for r in sources.normalise(result, STEP, group_id=2)]


def test_only_plan_candidates_are_read_and_capped_per_step():
    assert sources.normalise({"to_plan": [{"title": "Mødekultur", "dots": 5}]}, STEP, None) == []
    assert sources.normalise({"plan_candidates": "Støj"}, STEP, None) == []
    assert sources.normalise(["not", "a", "dict"], STEP, None) == []
    many = {"plan_candidates": [{"theme": f"Tema {i}"} for i in range(40)]}
    assert len(sources.normalise(many, STEP, None)) == sources.PER_STEP


def test_candidates_walk_earlier_steps_and_survive_a_broken_kind(monkeypatch):
    steps = [
        SimpleNamespace(id=1, position=0, kind="good", title="Tip en 13'er"),
        SimpleNamespace(id=2, position=1, kind="broken", title="Ødelagt"),
        SimpleNamespace(id=3, position=2, kind="action_plan", title="Tidligere plan"),
        SimpleNamespace(id=4, position=3, kind="action_plan", title="Denne plan"),
        SimpleNamespace(id=5, position=4, kind="good", title="Senere trin"),
    ]

    class Good:
        def results(self, v):
            return {"plan_candidates": [{"theme": f"Fra {v}", "source": "Tip en 13'er"}]}

    class Broken:
        def results(self, v):
            raise RuntimeError("boom")

    kinds = {"good": Good(), "broken": Broken(), "action_plan": kind}
    monkeypatch.setattr(sources, "kind_of", lambda step: kinds[step.kind])
    monkeypatch.setattr(sources, "step_view", lambda workshop, step: step.title)
    workshop = SimpleNamespace(steps=steps)
    found = sources.candidates(workshop, steps[3], group_id=None)
    assert found == [
        {
            "step": "Tip en 13'er",
            "rows": [
                {"theme": "Fra Tip en 13'er", "activity": "", "source": "Tip en 13'er", "weight": 0}
            ],
        }
    ]

"""Ordet rundt: "Jeg er færdig" only if the step allows it; the instructor arranges the order."""

from __future__ import annotations

import json
import re

import pytest

from exercises.round_robin import RoundRobin
from facilitator.kinds import Rejected
from tests.conftest import post
from tests.exercises.test_fair_talk_http import ROUND_ROBIN, act, fragment, setup
from tests.exercises.test_round_robin import Room

kind = RoundRobin()


def test_speakers_talk_the_full_time_unless_the_step_allows_ending_early():
    assert kind.parse({"question": "x"}).may_finish is False
    room = Room(may_finish=False, think_seconds=0, seconds=60)
    room.act(0, "start", seed="1")
    html_ctx = kind.context("phone", room.view(5, 11))
    assert html_ctx["status"] == "turn"
    with pytest.raises(Rejected, match="fulde tid"):
        room.send(5, 11, what="done", turn="0")
    assert room.send(6, 11, what="pass", turn="0").payload == {"what": "pass"}  # pass still ok
    assert room.group(7).speaker.pid == 12


def test_the_instructor_arranges_a_table_before_the_start():
    room = Room(think_seconds=10, seconds=60)
    room.act(0, "move", group="1", pid="13", dir="up")
    room.act(0, "move", group="1", pid="13", dir="up")
    with pytest.raises(Rejected, match="ikke flyttes"):
        room.act(0, "move", group="1", pid="13", dir="up")  # already first
    ctx = kind.context("controls", room.view(0))
    first = ctx["ready_tables"][0]
    assert [t["name"] for t in first["turns"]] == ["Cem", "Anna", "Bo"]
    room.act(1, "start", seed="3")
    assert [g["order"] for g in room.step.state["groups"]] == [[13, 11, 12], [21, 22]]
    # A restart keeps the arranged order.
    room.act(2, "reset")
    room.act(3, "start", seed="3")
    assert room.step.state["groups"][0]["order"] == [13, 11, 12]


def test_an_arranged_table_keeps_its_order_when_the_rest_is_random():
    room = Room(order="random")
    room.act(0, "move", group="2", pid="22", dir="up")
    room.act(0, "start", seed="5")
    assert room.step.state["groups"][1]["order"] == [22, 21]


def test_only_those_who_have_not_spoken_move_while_the_round_runs():
    room = Room(think_seconds=0, seconds=60)
    room.act(0, "start", seed="1")  # Anna speaks 0-60, Bo 60-120, Cem 120-180
    with pytest.raises(Rejected, match="ikke har talt"):
        room.act(10, "move", group="1", pid="11", dir="down")  # the speaker stays
    with pytest.raises(Rejected, match="ikke har talt"):
        room.act(10, "move", group="1", pid="12", dir="up")  # nobody moves before the speaker
    room.act(10, "move", group="1", pid="13", dir="up")
    assert [t.pid for t in room.group(10).turns] == [11, 13, 12]
    assert room.group(70).speaker.pid == 13
    assert room.group(70).turns[0].status == "time"  # Anna's turn is untouched
    with pytest.raises(Rejected, match="ikke har talt"):
        room.act(70, "move", group="1", pid="12", dir="up")
    for bad in ({"pid": "x", "dir": "up"}, {"pid": "13", "dir": "left"}):
        with pytest.raises(Rejected, match="Ukendt flytning"):
            room.act(70, "move", group="1", **bad)
    with pytest.raises(Rejected, match="findes ikke"):
        room.act(70, "move", group="9", pid="13", dir="up")
    room.act(80, "stop")
    with pytest.raises(Rejected, match="stoppet"):
        room.act(81, "move", group="2", pid="22", dir="up")


def test_moving_over_http_needs_csrf_and_shows_named_buttons(app, teacher):
    ws, step_id, phones = setup(app, teacher, ROUND_ROBIN, {"Bord 1": ["Anna", "Bo", "Cem"]})
    controls = teacher.get(f"/w/{ws['id']}").get_data(as_text=True)
    assert "Flyt Cem op" in controls and "Flyt Anna ned" in controls
    assert "Flyt Anna op" not in controls  # the first has nowhere up to go
    url = f"/w/{ws['id']}/steps/{step_id}/act/move"
    vals = re.search(
        r"hx-vals='([^']*)'><span aria-hidden=\"true\">↑</span>"
        r"<span class=\"visually-hidden\">Flyt Cem op",
        controls,
    )
    data = json.loads(vals.group(1))
    refused = teacher.post(url, data=data, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    act(teacher, ws, step_id, "move", **data)
    after = teacher.get(f"/w/{ws['id']}").get_data(as_text=True)
    order = re.findall(r'rr-arrange-name">([^<\s]+)', after)
    assert order == ["Anna", "Cem", "Bo"], order
    act(teacher, ws, step_id, "start")
    assert "Du er nr. <strong>2</strong> af 3" in fragment(phones["Cem"], ws["code"])
    resp = post(teacher, url, {**data, "dir": "sideways"}, page="/")
    assert "Ukendt flytning" in resp.get_data(as_text=True)


def test_the_phone_offers_jeg_er_faerdig_only_when_the_step_allows_it(app, teacher):
    from facilitator.db import db
    from facilitator.models import Step

    ws, step_id, phones = setup(app, teacher, ROUND_ROBIN, {"Bord 1": ["Anna", "Bo"]})
    act(teacher, ws, step_id, "start")
    act(teacher, ws, step_id, "begin")
    assert "Jeg er færdig" in fragment(phones["Anna"], ws["code"])  # the demo allows it
    with app.app_context():
        step = db.get(Step, step_id)
        step.content = {**step.content, "may_finish": False}
        db.commit()
    html = fragment(phones["Anna"], ws["code"])
    assert "Din tur" in html and "Jeg er færdig" not in html and "Tal hele tiden" in html
    resp = post(
        phones["Anna"], f"/j/{ws['code']}/s/{step_id}", {"what": "done", "turn": "0"},
        page=f"/j/{ws['code']}",
    )  # fmt: skip
    assert "fulde tid" in resp.get_data(as_text=True)

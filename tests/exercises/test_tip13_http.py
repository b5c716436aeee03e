"""Tip en 13'er over HTTP and Socket.IO: saved at once, live to the group, locked, exported."""

from __future__ import annotations

import json
import re

from facilitator import create_app
from facilitator.live import socketio
from tests.conftest import TEST_SETTINGS, join, make_workshop, post

ROW1 = "Alle medarbejdere skal have mulighed for medindflydelse"


def fragments(client) -> list[str]:
    return [
        e["args"][0]["html"]
        for e in client.get_received()
        if e["name"] == "fragment" and e["args"][0]["screen"] == "phone"
    ]


def chosen(html: str) -> dict[int, str]:
    """Row number -> the answer whose button is pressed, read from a phone fragment."""
    out = {}
    for number, answer in re.findall(
        r'aria-pressed="true" data-row="(\d+)" data-answer="([1X2])"', html
    ):
        out[int(number)] = answer
    return out


def room(app, teacher):
    ws = make_workshop(teacher, program="med_tip13", groups="Bord 1\nBord 2")
    code = ws["code"]
    tables = re.findall(r'name="group" value="(\d+)"', app.test_client().get(f"/j/{code}").text)
    pia = join(app, code, "Pia", tables[0])
    ole = join(app, code, "Ole", tables[0])
    aase = join(app, code, "Åse", tables[1])
    post(teacher, f"/w/{ws['id']}/go/1", page="/")
    sid = int(re.search(r"/s/(\d+)", pia.get(f"/j/{code}/fragment").text).group(1))
    return ws, code, sid, (pia, ole, aase)


def answer(phone, code, sid, row, value, coupon="mine", **kw):
    data = {"row": str(row), "answer": value, "coupon": coupon}
    return post(phone, f"/j/{code}/s/{sid}", data, page=f"/j/{code}", **kw)


def act(teacher, ws, sid, action, **data):
    return post(teacher, f"/w/{ws['id']}/steps/{sid}/act/{action}", data, page="/")


def test_answers_are_saved_at_once_and_survive_a_reload(app, teacher):
    ws, code, sid, (pia, _ole, _aase) = room(app, teacher)
    resp = answer(pia, code, sid, 1, "1")
    assert resp.status_code == 200
    assert "Gemt ✓" in resp.text and "1 af 13" in resp.text
    answer(pia, code, sid, 2, "x")
    answer(pia, code, sid, 2, "2")  # changed her mind: the same slot, not a second answer
    again = pia.get(f"/j/{code}/fragment").text
    assert chosen(again) == {1: "1", 2: "2"} and "2 af 13" in again
    assert ROW1 in again


def test_a_retried_post_is_one_answer(app, teacher):
    ws, code, sid, (pia, *_rest) = room(app, teacher)
    for _ in range(3):
        answer(pia, code, sid, 5, "X", headers={"Idempotency-Key": "k" * 32})
    data = json.loads(teacher.get(f"/w/{ws['id']}/results.json").text)
    tip = next(s for s in data["steps"] if s["kind"] == "tip13")
    assert tip["result"]["coupons"] == 1


def test_group_answers_reach_the_other_members_live_and_not_the_other_group(app, teacher):
    ws, code, sid, (pia, ole, aase) = room(app, teacher)
    answer(pia, code, sid, 1, "2")  # her own coupon first
    act(teacher, ws, sid, "to_group")
    ole_io = socketio.test_client(
        app, flask_test_client=ole, auth={"screen": "phone", "code": code}
    )
    aase_io = socketio.test_client(
        app, flask_test_client=aase, auth={"screen": "phone", "code": code}
    )
    ole_io.get_received(), aase_io.get_received()

    resp = answer(pia, code, sid, 1, "1", coupon="group")
    assert resp.status_code == 200 and "bordets kupon" in resp.text
    pushed = fragments(ole_io)
    assert pushed and chosen(pushed[-1]) == {1: "1"}
    assert fragments(aase_io) == []
    # Ole changes the group's answer; Pia sees it on her next fetch.
    answer(ole, code, sid, 1, "X", coupon="group")
    assert chosen(pia.get(f"/j/{code}/fragment").text) == {1: "X"}
    # A stale individual form after the switch is refused, not silently moved.
    stale = answer(aase, code, sid, 3, "1", coupon="mine")
    assert stale.status_code == 422 and "bordets kupon" in stale.text


def test_after_lock_answers_are_refused_and_kept(app, teacher):
    ws, code, sid, (pia, *_rest) = room(app, teacher)
    answer(pia, code, sid, 1, "1")
    act(teacher, ws, sid, "lock")
    refused = answer(pia, code, sid, 1, "2")
    assert refused.status_code == 422 and "låst" in refused.text
    assert chosen(pia.get(f"/j/{code}/fragment").text) == {1: "1"}


def test_reveal_scoreboard_and_export(app, teacher):
    ws, code, sid, (pia, ole, aase) = room(app, teacher)
    act(teacher, ws, sid, "to_group")
    answer(pia, code, sid, 1, "1", coupon="group")  # right
    answer(aase, code, sid, 1, "2", coupon="group")  # wrong
    controls = teacher.get(f"/w/{ws['id']}/fragment").text
    stamp = re.search(r'"at": "([0-9:]+)"', controls).group(1)
    act(teacher, ws, sid, "reveal_next", at=stamp)
    act(teacher, ws, sid, "reveal_next", at=stamp)  # a double click: still row 1
    projector = teacher.get(f"/p/{code}/fragment").text
    assert 'data-testid="tip13-row-number">1<' in projector
    assert "Ramte rigtigt: Bord 1" in projector and "MED-rammeaftalen" in projector
    phone = ole.get(f"/j/{code}/fragment").text
    assert "I ramte rigtigt" in phone and "Rigtige indtil nu: 1 af 1" in phone
    act(teacher, ws, sid, "reveal_all")
    board = teacher.get(f"/p/{code}/fragment").text
    assert "Emner at tage op igen" in board and "Bord 1" in board
    data = json.loads(teacher.get(f"/w/{ws['id']}/results.json").text)
    result = next(s for s in data["steps"] if s["kind"] == "tip13")["result"]
    assert [(g["name"], g["score"], g["place"]) for g in result["groups"]] == [
        ("Bord 1", 1, 1),
        ("Bord 2", 0, 2),
    ]
    csv = teacher.get(f"/w/{ws['id']}/results.csv").text
    assert ";Bord 1;Resultat;1. plads: 1 rigtige" in csv


def test_answers_survive_a_server_restart(app, teacher, tmp_path):
    ws, code, sid, (pia, *_rest) = room(app, teacher)
    answer(pia, code, sid, 4, "X")
    answer(pia, code, sid, 13, "1")
    cookie = pia.get_cookie("session")
    restarted = create_app({**TEST_SETTINGS, "DATABASE_URL": app.config["DATABASE_URL"]})
    phone = restarted.test_client()
    phone.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
    html = phone.get(f"/j/{code}/fragment").text
    assert chosen(html) == {4: "X", 13: "1"} and "2 af 13" in html
    restarted.extensions["engine"].dispose()


def test_a_script_for_an_answer_is_refused_and_not_echoed(app, teacher):
    ws, code, sid, (pia, *_rest) = room(app, teacher)
    resp = answer(pia, code, sid, 1, "<script>alert(1)</script>")
    assert resp.status_code == 422 and "Vælg 1, X eller 2" in resp.text
    assert "<script>alert" not in resp.text
    resp = answer(pia, code, sid, "1<b>", "1")
    assert resp.status_code == 422 and "<b>" not in resp.text

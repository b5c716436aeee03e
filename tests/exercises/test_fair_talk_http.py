"""Ordet rundt and talechips over HTTP: simultaneous taps, double taps, reloads, restarts."""

from __future__ import annotations

import re
import threading

from sqlalchemy import select

from facilitator import create_app
from facilitator.db import db
from facilitator.live import socketio
from facilitator.models import Response, Step
from tests.conftest import join, make_workshop, post

ROUND_ROBIN, CHIPS = 1, 2  # positions in exercises/programs/fair_talk_demo.toml


def setup(app, teacher, position: int, names: dict[str, list[str]]):
    """A workshop at two tables, phones joined, the step shown; returns ids, step and phones."""
    ws = make_workshop(teacher, program="fair_talk_demo", groups="Bord 1\nBord 2")
    page = app.test_client().get(f"/j/{ws['code']}").get_data(as_text=True)
    ids = re.findall(r'name="group" value="(\d+)"', page)
    tables = dict(zip(["Bord 1", "Bord 2"], ids, strict=True))
    phones = {
        name: join(app, ws["code"], name, tables[table])
        for table, people in names.items()
        for name in people
    }
    post(teacher, f"/w/{ws['id']}/go/{position}", page="/")
    with app.app_context():
        step_id = db.scalar(
            select(Step.id).where(Step.workshop_id == ws["id"], Step.position == position)
        )
    return ws, step_id, phones


def act(teacher, ws, step_id, action, **data):
    resp = post(teacher, f"/w/{ws['id']}/steps/{step_id}/act/{action}", data, page="/")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_data(as_text=True)


def fragment(phone, code) -> str:
    return phone.get(f"/j/{code}/fragment").get_data(as_text=True)


def tap_values(html: str) -> dict:
    """The values the phone's "Jeg vil gerne sige noget" button would send."""
    found = re.search(r'data-testid="tc-tap" hx-post="[^"]+" hx-vals=\'([^\']+)\'', html)
    assert found, html
    import json

    return json.loads(found.group(1))


def at_once(*calls):
    """Run the calls in threads released by one barrier; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def chip_rows(app, step_id) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.scalars(select(Response).where(Response.step_id == step_id))
        return sorted((r.owner, r.slot) for r in rows if r.slot.startswith("chip:"))


def test_phones_tapping_in_the_same_instant_all_get_a_place(app, teacher):
    people = {"Bord 1": ["Anna", "Bo", "Cem", "Dea"], "Bord 2": ["Eva"]}
    ws, step_id, phones = setup(app, teacher, CHIPS, people)
    act(teacher, ws, step_id, "start")
    code, url = ws["code"], f"/j/{ws['code']}/s/{step_id}"
    table = people["Bord 1"]
    taps = {name: tap_values(fragment(phones[name], code)) for name in table}
    results = at_once(
        *[lambda n=n: post(phones[n], url, taps[n], page=f"/j/{code}") for n in table]
    )
    assert [r.status_code for r in results] == [200] * 4
    rows = chip_rows(app, step_id)
    assert len(rows) == 4 and {slot for _o, slot in rows} == {"chip:0:1"}
    places = []
    for name in table:
        html = fragment(phones[name], code)
        assert "<strong>1</strong> af 2 chips tilbage" in html, name
        if 'data-testid="tc-speaking"' in html:
            places.append(0)
        else:
            places.append(int(re.search(r"Du er nr\. (\d)|(Du er den næste)", html).group(1) or 1))
    assert sorted(places) == [0, 1, 2, 3]  # a fair place each, none lost, none doubled
    projector = teacher.get(f"/p/{code}/fragment").get_data(as_text=True)
    assert "<strong>4</strong> af 8 chips tilbage" in projector
    assert "<strong>2</strong> af 2 chips tilbage" in projector  # Bord 2 untouched


def test_a_double_tap_from_one_phone_spends_one_chip(app, teacher):
    ws, step_id, phones = setup(app, teacher, CHIPS, {"Bord 1": ["Anna", "Bo"]})
    act(teacher, ws, step_id, "start")
    code, url = ws["code"], f"/j/{ws['code']}/s/{step_id}"
    anna = phones["Anna"]
    twin = app.test_client()  # the same phone: a second connection with the same cookie
    twin.set_cookie("session", anna.get_cookie("session").value)
    for expected_left in (1, 0):
        values = tap_values(fragment(anna, code))
        results = at_once(
            lambda v=values: post(anna, url, v, page=f"/j/{code}"),
            lambda v=values: post(twin, url, v, page=f"/j/{code}"),
        )
        assert [r.status_code for r in results] == [200, 200], [
            re.findall(r"role=\"alert\"[^>]*>([^<]+)", r.get_data(as_text=True)) for r in results
        ]
        # A third arrival of the same tap, and a retry with the same idempotency key.
        post(anna, url, values, page=f"/j/{code}", headers={"Idempotency-Key": "k" * 32})
        post(anna, url, values, page=f"/j/{code}", headers={"Idempotency-Key": "k" * 32})
        html = fragment(anna, code)
        assert f"<strong>{expected_left}</strong> af 2 chips tilbage" in html
        with app.app_context():
            current = db.scalar(
                select(Response.id).where(Response.step_id == step_id).order_by(Response.id.desc())
            )
        act(teacher, ws, step_id, "next", group=_group_key(html), item=current)
    assert chip_rows(app, step_id) == [
        (f"p:{_pid(app, ws, 'Anna')}", "chip:0:1"),
        (f"p:{_pid(app, ws, 'Anna')}", "chip:0:2"),
    ]


def _pid(app, ws, name) -> int:
    from facilitator.models import Participant

    with app.app_context():
        return db.scalar(
            select(Participant.id).where(
                Participant.workshop_id == ws["id"], Participant.name == name
            )
        )


def _group_key(html: str) -> str:
    return re.search(r'data-group-key="([^"]+)"', html).group(1)


def test_a_tap_is_pushed_to_its_own_table_only(app, teacher):
    ws, step_id, phones = setup(app, teacher, CHIPS, {"Bord 1": ["Anna", "Bo"], "Bord 2": ["Eva"]})
    act(teacher, ws, step_id, "start")
    code = ws["code"]
    sockets = {
        name: socketio.test_client(app, flask_test_client=p, auth={"screen": "phone", "code": code})
        for name, p in phones.items()
    }
    for s in sockets.values():
        s.get_received()
    post(phones["Anna"], f"/j/{code}/s/{step_id}", tap_values(fragment(phones["Anna"], code)))
    pushed = {
        name: [e for e in s.get_received() if e["name"] == "fragment"]
        for name, s in sockets.items()
    }
    assert pushed["Eva"] == []
    assert "Anna</strong> har ordet" in pushed["Bo"][-1]["args"][0]["html"]


def deadlines(html: str) -> set[str]:
    return set(re.findall(r'data-deadline="(\d+)"', html))


def test_round_robin_survives_reload_and_server_restart(app, teacher, tmp_path):
    people = {"Bord 1": ["Anna", "Bo"], "Bord 2": ["Eva", "Finn"]}
    ws, step_id, phones = setup(app, teacher, ROUND_ROBIN, people)
    act(teacher, ws, step_id, "start", seed="1")
    act(teacher, ws, step_id, "begin")
    code = ws["code"]
    anna = fragment(phones["Anna"], code)
    assert 'data-testid="rr-your-turn"' in anna and 'data-signal="turn"' in anna
    assert 'data-testid="rr-next"' in fragment(phones["Bo"], code)
    deadline = deadlines(anna)
    assert len(deadline) == 1
    # A reload (the whole page) and every other screen count down to the same deadline.
    page = phones["Anna"].get(f"/j/{code}").get_data(as_text=True)
    projector = teacher.get(f"/p/{code}/fragment").get_data(as_text=True)
    assert deadlines(page) == deadline and deadline <= deadlines(projector)
    assert deadline <= deadlines(fragment(phones["Bo"], code))

    # A restart: a new server process on the same database, the phone's same cookie.
    again = create_app(dict(app.config))
    phone = again.test_client()
    phone.set_cookie("session", phones["Anna"].get_cookie("session").value)
    html = phone.get(f"/j/{code}/fragment").get_data(as_text=True)
    assert 'data-testid="rr-your-turn"' in html and deadlines(html) == deadline

    # The turn goes on from there: Anna is done, Bo's phone says it is his turn.
    post(phones["Anna"], f"/j/{code}/s/{step_id}", {"what": "done", "turn": "0"})
    bo = fragment(phones["Bo"], code)
    assert 'data-testid="rr-your-turn"' in bo and deadlines(bo) != deadline
    assert 'data-testid="rr-your-turn"' in fragment(phones["Eva"], code)  # Bord 2 unaffected

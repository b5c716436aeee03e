"""Idétavle over HTTP and Socket.IO: notes saved and escaped, limits, lock, dots, exports."""

from __future__ import annotations

import csv
import io
import json
import re

from exercises.ideas import Ideas
from facilitator import workshops
from facilitator.db import db
from facilitator.live import socketio
from facilitator.models import Workshop
from tests.conftest import join, make_workshop, post

PAYLOAD = "<script>alert(1)</script><b>x</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"
CONTENT = {
    "prompt": "Hvad fylder mest?",
    "categories": ["MED-udvalget", "Arbejdsmiljøgruppen"],
    "dots": 3,
    "max_per_item": 2,
    "max_chars": 120,
    "per_group": True,
}


def room(app, teacher, **content):
    ws = make_workshop(teacher, program="", groups="Bord 1\nBord 2")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        groups = [g.id for g in workshop.groups]
        step = workshops.add_step(workshop, "ideas", "Idétavle", {**CONTENT, **content})
        ws["sid"] = step.id
    assert post(teacher, f"/w/{ws['id']}/go/0", page="/").status_code == 200
    ws["pia"] = join(app, ws["code"], "Pia", str(groups[0]))
    ws["ole"] = join(app, ws["code"], "Ole", str(groups[0]))
    ws["kim"] = join(app, ws["code"], "Kim", str(groups[1]))
    return ws


def send(ws, who: str, **data):
    code = ws["code"]
    return post(ws[who], f"/j/{code}/s/{ws['sid']}", data, page=f"/j/{code}")


def note(ws, who: str, text: str, slot: int = 1, category: int = 0):
    return send(ws, who, op="note", slot=str(slot), text=text, category=str(category))


def act(teacher, ws, action: str, **data):
    return post(teacher, f"/w/{ws['id']}/steps/{ws['sid']}/act/{action}", data, page="/")


def note_ids(html: str) -> list[int]:
    """The notes' ids on the controls, in the order they were posted."""
    return sorted(int(n) for n in re.findall(r'data-note="(\d+)"', html))


def results(teacher, ws) -> dict:
    data = json.loads(teacher.get(f"/w/{ws['id']}/results.json").text)
    return next(s for s in data["steps"] if s["kind"] == "ideas")["result"]


def test_html_and_script_are_stored_as_text_and_shown_escaped(app, teacher):
    ws = room(app, teacher)
    resp = note(ws, "pia", PAYLOAD, category=1)
    assert resp.status_code == 200 and "Gemt ✓" in resp.text
    assert ESCAPED in resp.text and "<script>alert" not in resp.text
    for html in (
        teacher.get(f"/p/{ws['code']}/fragment").text,
        teacher.get(f"/w/{ws['id']}").text,
        ws["pia"].get(f"/j/{ws['code']}/fragment").text,
    ):
        assert ESCAPED in html and "<script>alert" not in html and "<b>x</b>" not in html
    assert results(teacher, ws)["notes"][0]["text"] == PAYLOAD  # stored as written


def test_length_limit_and_a_clear_message(app, teacher):
    ws = room(app, teacher)
    resp = note(ws, "pia", "å" * 121)
    assert resp.status_code == 422
    assert "Sedlen er for lang: højst 120 tegn, og du har skrevet 121" in resp.text
    assert 'maxlength="120"' in resp.text  # the browser stops the typing before that
    assert results(teacher, ws)["notes"] == []
    assert note(ws, "pia", "å" * 120).status_code == 200


def test_a_retried_post_is_one_note(app, teacher):
    ws = room(app, teacher)
    for _ in range(3):
        code = ws["code"]
        post(
            ws["pia"], f"/j/{code}/s/{ws['sid']}",
            {"op": "note", "slot": "1", "text": "Støj", "category": "0"},
            page=f"/j/{code}", headers={"Idempotency-Key": "k" * 32},
        )  # fmt: skip
    note(ws, "pia", "Støj", slot=1)  # a double tap without the key: the same slot
    assert [n["text"] for n in results(teacher, ws)["notes"]] == ["Støj"]


def test_a_locked_board_refuses_edits_and_dots(app, teacher):
    ws = room(app, teacher)
    note(ws, "pia", "Støj")
    assert act(teacher, ws, "lock").status_code == 200
    phone = ws["pia"].get(f"/j/{ws['code']}/fragment").text
    assert 'data-testid="ideas-locked"' in phone and 'data-testid="ideas-add"' not in phone
    for data in (
        {"op": "note", "slot": "1", "text": "Rettet", "category": "0"},
        {"op": "note", "slot": "2", "text": "Ny", "category": "0"},
        {"op": "delete", "slot": "1"},
    ):
        resp = send(ws, "pia", **data)
        assert resp.status_code == 422 and "Tavlen er låst" in resp.text
    act(teacher, ws, "unlock")
    act(teacher, ws, "vote")
    act(teacher, ws, "lock")
    nid = note_ids(teacher.get(f"/w/{ws['id']}").text)[0]
    resp = send(ws, "ole", op="dot", target=f"n:{nid}", count="1")
    assert resp.status_code == 422 and "låst" in resp.text
    assert [n["text"] for n in results(teacher, ws)["notes"]] == ["Støj"]
    assert results(teacher, ws)["dots_placed"] == 0


def test_dots_live_to_the_projector_and_limits_over_http(app, teacher):
    ws = room(app, teacher)
    note(ws, "pia", "Støj")
    note(ws, "ole", "Travlhed")
    note(ws, "kim", "Vagtplaner")
    a, b, k = note_ids(teacher.get(f"/w/{ws['id']}").text)
    act(teacher, ws, "vote")
    projector_io = socketio.test_client(
        app, flask_test_client=teacher, auth={"screen": "projector", "code": ws["code"]}
    )
    projector_io.get_received()
    resp = send(ws, "pia", op="dot", target=f"n:{a}", count="1")
    assert resp.status_code == 200 and 'data-count="1"' in resp.text
    pushed = [e["args"][0]["html"] for e in projector_io.get_received() if e["name"] == "fragment"]
    assert pushed and 'data-testid="ideas-dots-placed">1<' in pushed[-1]
    assert "Støj" in pushed[-1] and "ideas-ranking" not in pushed[-1]  # no ranking yet
    send(ws, "pia", op="dot", target=f"n:{a}", count="2")
    resp = send(ws, "pia", op="dot", target=f"n:{a}", count="3")
    assert resp.status_code == 422 and "højst give 2 prikker" in resp.text
    resp = send(ws, "pia", op="dot", target=f"n:{k}", count="1")
    assert resp.status_code == 422 and "egen gruppes tavle" in resp.text
    send(ws, "pia", op="dot", target=f"n:{b}", count="1")
    resp = send(ws, "pia", op="dot", target=f"n:{b}", count="2")
    assert resp.status_code == 422 and "brugt alle dine 3 prikker" in resp.text
    assert 'data-testid="ideas-left"' in resp.text and "<strong>0</strong>" in resp.text
    act(teacher, ws, "reveal")
    screen = teacher.get(f"/p/{ws['code']}/fragment").text
    ranking = re.findall(r'ideas-place-title">([^<]+)<', screen)
    assert ranking[:2] == ["Støj", "Travlhed"] and "Vagtplaner" not in ranking


def test_instructor_merges_edits_hides_and_exports(app, teacher):
    ws = room(app, teacher, per_group=False, named=True)
    note(ws, "pia", "Støj i frokoststuen")
    note(ws, "ole", "Larm fra vejen", category=1)
    note(ws, "kim", "Noget om en kollega")
    a, b, k = note_ids(teacher.get(f"/w/{ws['id']}").text)
    assert act(teacher, ws, "move", item=f"n:{a}", to="new").status_code == 200
    html = teacher.get(f"/w/{ws['id']}").text
    tid = re.search(r'value="(t:\d+)">Tema: Støj i frokoststuen', html).group(1)
    act(teacher, ws, "move", item=f"n:{b}", to=tid)
    act(teacher, ws, "edit", item=tid, text="Støj <i>og</i> larm")
    act(teacher, ws, "edit", item=f"n:{b}", text="Larm fra vejen om morgenen")
    act(teacher, ws, "hide", item=f"n:{k}")
    resp = act(teacher, ws, "edit", item=f"n:{a}", text="x" * 121)
    assert resp.status_code == 422 and "højst 120 tegn" in resp.text
    screen = teacher.get(f"/p/{ws['code']}/fragment").text
    assert "Støj &lt;i&gt;og&lt;/i&gt; larm" in screen and "Larm fra vejen om morgenen" in screen
    assert "Noget om en kollega" not in screen and "Pia" not in screen  # names only on notes
    assert "Noget om en kollega" not in ws["kim"].get(f"/j/{ws['code']}/fragment").text
    result = results(teacher, ws)
    hidden = [n for n in result["notes"] if n["hidden"]]
    assert [(n["text"], n["author"]) for n in hidden] == [("Noget om en kollega", "Kim")]
    assert result["walls"][0]["themes"][0]["title"] == "Støj <i>og</i> larm"
    assert result["plan_candidates"][0]["theme"] == "Støj <i>og</i> larm"
    rows = list(
        csv.reader(io.StringIO(teacher.get(f"/w/{ws['id']}/results.csv").text.lstrip("\ufeff")),
                   delimiter=";")
    )  # fmt: skip
    values = [r[5] for r in rows if r[2] == Ideas.title]
    assert "Kim: Noget om en kollega (skjult)" in values  # a named board names the writer
    assert any(r[4].endswith("· Støj <i>og</i> larm") for r in rows if r[2] == Ideas.title)

"""Each hostile input the attack run found gets a clear 4xx (or is cleaned), on every database."""

from __future__ import annotations

import re

from sqlalchemy import select

from facilitator.db import db
from facilitator.live import socketio
from facilitator.models import Group, Participant, Response, Workshop
from facilitator.plans.models import ActionItem
from tests.conftest import PASSWORD, csrf_token, join, post

from .world import OWNER

BIG = ["2147483648", "9223372036854775807", "9223372036854775808", "1" + "0" * 30, "9" * 5000]


def group_ids(app, ws) -> list[str]:
    with app.app_context():
        return [str(g) for g in db.scalars(select(Group.id).where(Group.workshop_id == ws["id"]))]


def step_id(phone, code: str) -> int:
    html = phone.get(f"/j/{code}/fragment").get_data(as_text=True)
    return int(re.search(r"/s/(\d+)", html).group(1))


def test_ids_past_the_columns_range_are_404(hostile_app, h_teacher, h_workshop):
    ws, code = h_workshop["id"], h_workshop["code"]
    phone = join(hostile_app, code, "Pia", group=group_ids(hostile_app, h_workshop)[0])
    for number in [*BIG, "٣", "-1"]:
        for path in (f"/w/{number}", f"/w/{ws}/as/{number}", f"/programmer/{number}"):
            assert h_teacher.get(path).status_code == 404, path
        if number != "-1":  # -1 is the lobby
            assert post(h_teacher, f"/w/{ws}/go/{number}", page="/").status_code in (404, 422)
        resp = post(phone, f"/j/{code}/s/{number}", {"value": "3"}, page=f"/j/{code}")
        assert resp.status_code == 404, number


def test_remove_participant_with_a_bad_number_is_404(h_teacher, h_workshop):
    path = f"/w/{h_workshop['id']}/participants/remove"
    for raw in ("abc", "²", "2147483648", "99999999999", "-1", ""):
        assert post(h_teacher, path, {"participant": raw}, page="/").status_code == 404, raw


def test_huge_minimum_of_anonymous_answers_gets_a_danish_message(h_teacher):
    for raw in ("1" + "0" * 30, "9" * 5000, "²"):
        resp = post(h_teacher, "/workshops", {"title": "T", "min_anonymous": raw}, page="/")
        assert resp.status_code == 302
        assert "Skriv" in h_teacher.get("/").get_data(as_text=True)


def test_nul_bytes_are_stripped_from_every_text(hostile_app, h_teacher, h_workshop):
    code = h_workshop["code"]
    resp = post(h_teacher, "/workshops", {"title": "Ti\x00tel\x07", "program": "demo"}, page="/")
    assert resp.status_code == 302
    phone = hostile_app.test_client()
    groups = group_ids(hostile_app, h_workshop)
    data = {"name": "Pi\x00a", "group": groups[0], "csrf_token": csrf_token(phone, f"/j/{code}")}
    assert phone.post(f"/j/{code}", data=data).status_code == 302
    with hostile_app.app_context():
        assert db.scalar(select(Participant.name)) == "Pia"
        assert "Titel" in db.scalars(select(Workshop.title)).all()


def test_nul_in_the_login_email_is_a_wrong_login_not_a_crash(hostile_app, h_teacher):
    client = hostile_app.test_client()
    token = csrf_token(client, "/login")
    data = {"email": "ulla\x00@example.dk", "password": "x\x00", "csrf_token": token}
    assert client.post("/login", data=data).status_code == 401
    data = {"email": f"\x00{OWNER}", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302  # stripped, so it is her


def test_nul_in_an_idempotency_key_and_an_answer(hostile_app, h_teacher, h_workshop):
    code = h_workshop["code"]
    phone = join(hostile_app, code, "Pia", group=group_ids(hostile_app, h_workshop)[0])
    post(h_teacher, f"/w/{h_workshop['id']}/go/1", page="/")
    sid = step_id(phone, code)
    for _ in range(2):  # a retry with the same key is the same answer
        resp = post(
            phone, f"/j/{code}/s/{sid}", {"value": "4\x00"}, page=f"/j/{code}",
            headers={"Idempotency-Key": "k\x00ey-1"},
        )  # fmt: skip
        assert resp.status_code in (200, 422)
    with hostile_app.app_context():
        assert db.scalar(select(Response.idempotency_key)) in (None, "key-1")


def test_nul_in_a_plan_row(hostile_app, h_teacher, h_workshop):
    from facilitator.plans.service import create_plan

    with hostile_app.app_context():
        token = create_plan("Plan").edit_token
    client = hostile_app.test_client()
    row = {"activity": "Stø\x00j", "theme": "\x00", "by_name": "Ti\x00ne"}
    resp = post(client, f"/plan/{token}/items", row, page=f"/plan/{token}")
    assert resp.status_code == 302
    with hostile_app.app_context():
        assert db.scalar(select(ActionItem.activity)) == "Støj"


def test_overlong_or_odd_program_names_never_reach_the_file_system(h_teacher, h_workshop):
    for name in ("x" * 300, "a" * 5000, "../../etc/passwd", "demo\x00"):
        create = post(h_teacher, "/workshops", {"title": "T", "program": name}, page="/")
        assert create.status_code == 302
        append = post(h_teacher, f"/w/{h_workshop['id']}/append", {"program": name}, page="/")
        assert append.status_code == 302
        assert h_teacher.get(f"/programmer/bibliotek/{name}").status_code == 404
        copy = post(h_teacher, f"/programmer/bibliotek/{name}/kopi", page="/")
        assert copy.status_code in (302, 404)


OFF_SITE = [
    "/\t/evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
    "http://evil.example/", "https:evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1",
    " //evil.example", "javascript:alert(1)", "%2F%2Fevil.example", "",
]  # fmt: skip


def test_login_next_stays_on_the_site(hostile_app, h_teacher):
    client = hostile_app.test_client()
    for target in OFF_SITE:  # a login starts a new session: a fresh CSRF token each time
        data = {"email": OWNER, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
        resp = client.post("/login", query_string={"next": target}, data=data)
        assert resp.status_code == 302 and resp.headers["Location"] == "/", target


def test_login_next_keeps_a_local_path_with_its_query(hostile_app, h_teacher, h_workshop):
    client = hostile_app.test_client()
    data = {"email": OWNER, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    target = f"/w/{h_workshop['id']}?tab=2"
    resp = client.post("/login", query_string={"next": target}, data=data)
    assert resp.headers["Location"] == target


def test_raw_encoded_next_bypass_from_the_attack_run(hostile_app, h_teacher):
    client = hostile_app.test_client()
    data = {"email": OWNER, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    resp = client.post("/login?next=%2F%09%2Fevil.example", data=data)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_malformed_socket_submits_get_an_error_ack(hostile_app, h_teacher, h_workshop):
    code = h_workshop["code"]
    phone = join(hostile_app, code, "Pia", group=group_ids(hostile_app, h_workshop)[0])
    post(h_teacher, f"/w/{h_workshop['id']}/go/1", page="/")
    sid = step_id(phone, code)
    io = socketio.test_client(
        hostile_app, flask_test_client=phone, auth={"screen": "phone", "code": code}
    )
    assert io.is_connected()
    for msg in (None, "x", [1], {"step": sid}, {"step": sid, "data": None}, {"data": {}}):
        ack = io.emit("submit", msg, callback=True)
        assert ack == {"status": 400}, msg
    ack = io.emit("submit", callback=True)  # no payload at all
    assert ack == {"status": 400}
    for step in (2**31, 2**63):
        ack = io.emit("submit", {"step": step, "data": {"value": "3"}}, callback=True)
        assert ack["status"] == 422
    ok = io.emit("submit", {"step": sid, "data": {"value": "3\x00"}, "key": "\x00k"}, callback=True)
    assert ok["status"] in (200, 422)


def test_unicode_digits_in_an_answer_are_refused_not_crashed(hostile_app, h_teacher, h_workshop):
    code = h_workshop["code"]
    phone = join(hostile_app, code, "Pia", group=group_ids(hostile_app, h_workshop)[0])
    post(h_teacher, f"/w/{h_workshop['id']}/go/1", page="/")
    sid = step_id(phone, code)
    for value in ("²", "٣", "9" * 5000, "2147483648"):
        resp = post(phone, f"/j/{code}/s/{sid}", {"value": value}, page=f"/j/{code}")
        assert resp.status_code == 422 and "Vælg et svar" in resp.get_data(as_text=True)


def test_a_key_reused_at_a_later_step_resolves_to_the_first_answer(
    hostile_app, h_teacher, h_workshop
):
    code, ws = h_workshop["code"], h_workshop["id"]
    phone = join(hostile_app, code, "Pia", group=group_ids(hostile_app, h_workshop)[0])
    post(h_teacher, f"/w/{ws}/go/1", page="/")
    first = step_id(phone, code)
    headers = {"Idempotency-Key": "same-key-1"}
    resp = post(phone, f"/j/{code}/s/{first}", {"value": "3"}, page=f"/j/{code}", headers=headers)
    assert resp.status_code == 200
    post(h_teacher, f"/w/{ws}/go/2", page="/")
    second = step_id(phone, code)
    for sid in (first, second):  # a late retry of the first answer, wherever it is sent
        again = post(
            phone, f"/j/{code}/s/{sid}", {"value": "3"}, page=f"/j/{code}", headers=headers
        )
        assert again.status_code == 200
    with hostile_app.app_context():
        assert len(db.scalars(select(Response)).all()) == 1


def test_nul_in_an_imported_program_file(hostile_app, h_teacher):
    import io

    from facilitator.programs.models import Program

    toml = (
        b'title = "Mit\\u0000 program"\n\n[[steps]]\nkind = "info"\n'
        b'title = "Vel\\u0007kommen"\ntext = "Hej\\u0000"\n'
    )
    data = {"file": (io.BytesIO(toml), "ny\x00.toml")}
    resp = post(h_teacher, "/programmer/import", data, page="/programmer/")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with hostile_app.app_context():
        program = db.scalar(select(Program))
        assert program.title == "Mit program" and program.origin == "Importeret fra ny.toml"
        assert program.steps[0]["title"] == "Velkommen"

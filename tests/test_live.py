"""Socket.IO: who may connect to which screen, and what each screen is pushed."""

from __future__ import annotations

from facilitator.live import socketio
from tests.conftest import join, post


def fragments(client, screen: str) -> list[dict]:
    return [
        e["args"][0]
        for e in client.get_received()
        if e["name"] == "fragment" and e["args"][0]["screen"] == screen
    ]


def test_phone_without_token_is_refused(app, workshop):
    client = socketio.test_client(app, auth={"screen": "phone", "code": workshop["code"]})
    assert not client.is_connected()


def test_phone_cannot_open_projector_room(app, workshop):
    phone = join(app, workshop["code"])
    client = socketio.test_client(
        app, flask_test_client=phone, auth={"screen": "projector", "code": workshop["code"]}
    )
    assert not client.is_connected()


def test_unknown_workshop_is_refused(app, teacher):
    client = socketio.test_client(
        app, flask_test_client=teacher, auth={"screen": "controls", "code": "NOPE"}
    )
    assert not client.is_connected()


def test_every_screen_follows_the_instructor(app, teacher, workshop):
    code = workshop["code"]
    phone = join(app, code, "Pia")
    phone_io = socketio.test_client(
        app, flask_test_client=phone, auth={"screen": "phone", "code": code}
    )
    projector_io = socketio.test_client(
        app, flask_test_client=teacher, auth={"screen": "projector", "code": code}
    )
    assert phone_io.is_connected() and projector_io.is_connected()
    phone_io.get_received(), projector_io.get_received()

    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    pushed = fragments(phone_io, "phone")
    assert len(pushed) == 1
    assert "Hvor enig er du i, at sagen skal drøftes" in pushed[0]["html"]
    shown = fragments(projector_io, "projector")
    assert shown and 'data-testid="answer-count">0<' in shown[-1]["html"]
    first_version = pushed[0]["v"]

    # An answer updates the projector's count, and is not broadcast to the other phones.
    other = join(app, code, "Ole")
    other_io = socketio.test_client(
        app, flask_test_client=other, auth={"screen": "phone", "code": code}
    )
    other_io.get_received(), projector_io.get_received()
    import re

    sid = re.search(r"/s/(\d+)", pushed[0]["html"]).group(1)
    post(phone, f"/j/{code}/s/{sid}", {"value": "3"}, page=f"/j/{code}")
    shown = fragments(projector_io, "projector")
    assert 'data-testid="answer-count">1<' in shown[-1]["html"]
    assert fragments(other_io, "phone") == []

    post(teacher, f"/w/{workshop['id']}/go/2", page="/")
    later = fragments(phone_io, "phone")
    assert later[-1]["v"] > first_version
    assert "Mødekultur" not in pushed[0]["html"]


def test_phones_with_different_answers_get_their_own_view(app, teacher, workshop):
    code = workshop["code"]
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    a, b = join(app, code, "A"), join(app, code, "B")
    a_io = socketio.test_client(app, flask_test_client=a, auth={"screen": "phone", "code": code})
    b_io = socketio.test_client(app, flask_test_client=b, auth={"screen": "phone", "code": code})
    import re

    sid = re.search(r"/s/(\d+)", a.get(f"/j/{code}/fragment").get_data(as_text=True)).group(1)
    post(a, f"/j/{code}/s/{sid}", {"value": "5"}, page=f"/j/{code}")
    a_io.get_received(), b_io.get_received()
    post(teacher, f"/w/{workshop['id']}/steps/{sid}/act/close", page="/")
    a_html = fragments(a_io, "phone")[-1]["html"]
    b_html = fragments(b_io, "phone")[-1]["html"]
    assert "Dit svar er gemt" in a_html and "Dit svar er gemt" not in b_html


def _step_id(phone, code: str) -> int:
    import re

    html = phone.get(f"/j/{code}/fragment").get_data(as_text=True)
    return int(re.search(r"/s/(\d+)", html).group(1))


def test_answers_over_the_socket_are_stored_once_and_acked_with_the_fragment(
    app, teacher, workshop
):
    code = workshop["code"]
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    phones = [join(app, code, f"P{i}") for i in range(6)]
    clients = [
        socketio.test_client(app, flask_test_client=p, auth={"screen": "phone", "code": code})
        for p in phones
    ]
    sid = _step_id(phones[0], code)
    acks = [
        c.emit("submit", {"step": sid, "data": {"value": str(i % 5 + 1)}, "key": f"k{i}"},
               callback=True)
        for i, c in enumerate(clients)
    ]  # fmt: skip
    assert all(a["status"] == 200 for a in acks)
    assert 'aria-pressed="true"' in acks[0]["html"] and "Dit svar er gemt" in acks[0]["html"]
    # A retried event with the same key is the same answer, even with another value.
    again = clients[0].emit(
        "submit", {"step": sid, "data": {"value": "5"}, "key": "k0"}, callback=True
    )
    assert again["status"] == 200
    result = teacher.get(f"/w/{workshop['id']}/results.json").get_json()["steps"][1]["result"]
    assert result["answers"] == 6
    assert result["distribution"]["Helt uenig"] == 2


def test_socket_answers_are_validated_like_posts(app, teacher, workshop):
    code = workshop["code"]
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    phone = join(app, code)
    client = socketio.test_client(
        app, flask_test_client=phone, auth={"screen": "phone", "code": code}
    )
    sid = _step_id(phone, code)
    bad = client.emit("submit", {"step": sid, "data": {"value": "9"}}, callback=True)
    assert bad["status"] == 422 and "Vælg et svar fra 1 til 5" in bad["html"]
    assert client.emit("submit", {"step": sid, "data": "x"}, callback=True)["status"] == 400
    wrong = client.emit("submit", {"step": sid + 1, "data": {"value": "2"}}, callback=True)
    assert wrong["status"] == 422 and "ikke aktivt" in wrong["html"]
    projector = socketio.test_client(
        app, flask_test_client=teacher, auth={"screen": "projector", "code": code}
    )
    assert projector.emit("submit", {"step": sid, "data": {"value": "2"}}, callback=True) == {
        "status": 401
    }


def test_a_socket_keeps_no_cookie_after_it_is_admitted_and_still_answers(app, teacher, workshop):
    """Each event would open the connect's session cookie again (a signature check per
    answer); who the socket is was settled at the connect and is kept by its sid."""
    code = workshop["code"]
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    phone = join(app, code, "Pia")
    client = socketio.test_client(
        app, flask_test_client=phone, auth={"screen": "phone", "code": code}
    )
    assert client.is_connected()
    assert "HTTP_COOKIE" not in socketio.server.environ[client.eio_sid]
    sid = _step_id(phone, code)
    ack = client.emit("submit", {"step": sid, "data": {"value": "4"}, "key": "c1"}, callback=True)
    assert ack["status"] == 200 and "Dit svar er gemt" in ack["html"]
    refused = socketio.test_client(app, auth={"screen": "phone", "code": code})  # no cookie
    assert not refused.is_connected()

"""answers: one entry point for both transports, bursts stored together, bad answers alone."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from facilitator import answers, limits, workshops
from facilitator.db import db
from facilitator.live import socketio
from facilitator.models import Participant, Response, Workshop
from facilitator.screens import phone_reply
from tests.conftest import join, make_workshop, post, statements


@pytest.fixture
def room(app, teacher):
    """The demo program on its scale step (position 1), with 12 participants."""
    ws = make_workshop(teacher)
    post(teacher, f"/w/{ws['id']}/go/1", page="/")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        people = [workshops.join(workshop, f"Deltager {n}") for n in range(12)]
        ws["pids"] = [p.id for p in people]
        ws["step"] = workshop.current_step.id
        ws["steps"] = [s.id for s in workshop.steps]
    return ws


def _submit_all(app, ws, values: list[str], keys: list[str | None]) -> list[answers.Outcome]:
    """Every participant answers at the same instant, each from a thread of its own."""
    out: list[answers.Outcome | None] = [None] * len(values)
    barrier = threading.Barrier(len(values))

    def one(i: int) -> None:
        with app.test_request_context("/"):
            person = db.get(Participant, ws["pids"][i])
            barrier.wait()
            out[i], _html = answers.submit(
                answers.Sender.of(person), ws["step"], {"value": values[i]}, keys[i], phone_reply
            )
            db.remove()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(values))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out  # type: ignore[return-value]


def send(person, step_id: int, value: str, key: str) -> tuple[answers.Outcome, object]:
    """One answer through the entry point, as a transport sends it."""
    return answers.submit(answers.Sender.of(person), step_id, {"value": value}, key, phone_reply)


def _count(app, ws) -> int:
    with app.app_context():
        return db.scalar(select(func.count(Response.id)).where(Response.step_id == ws["step"]))


def _version(app, ws) -> int:
    with app.app_context():
        return db.get(Workshop, ws["id"]).version


def test_a_burst_is_stored_in_shared_transactions(app, room):
    app.config["ANSWER_GATHER_MS"] = 300  # wide enough that the whole burst is one batch
    before = _version(app, room)
    outcomes = _submit_all(app, room, ["4"] * 12, [f"k{i}" for i in range(12)])
    assert all(o.error is None and o.response is not None for o in outcomes)
    assert _count(app, room) == 12
    # One version bump per stored batch: a handful, not one per answer.
    assert _version(app, room) - before <= 3


def test_a_bursts_replies_read_no_more_rows_than_were_stored(app, room):
    """A scale reply shows only its sender's answer: the burst's own rows are enough.

    Before, every batch read the whole step's answers to reply, so a room answering over
    HTTP (many small batches) read the room's rows again and again.
    """
    app.config["ANSWER_GATHER_MS"] = 300  # one batch
    with statements(app) as seen:
        outcomes = _submit_all(app, room, ["3"] * 12, [f"r{i}" for i in range(12)])
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT") and "FROM responses" in s]
    assert all(o.error is None for o in outcomes)
    # The store's one read of the senders' rows (and of keys), none for the replies.
    whole_step = [
        s for s in selects if "responses.owner IN" not in s and "idempotency_key IN" not in s
    ]
    assert whole_step == [], whole_step
    assert len(selects) <= 4


def test_one_bad_answer_fails_alone(app, room):
    app.config["ANSWER_GATHER_MS"] = 300
    values = ["4"] * 12
    values[5] = "99"  # out of the scale: refused by the kind
    keys = [f"b{i}" for i in range(12)]
    outcomes = _submit_all(app, room, values, keys)
    assert [i for i, o in enumerate(outcomes) if o.error] == [5]
    assert "Vælg et svar fra 1 til 5" in outcomes[5].error
    assert _count(app, room) == 11


def test_a_retry_resolves_to_the_first_answer_even_a_step_later(app, teacher, room):
    app.config["ANSWER_GATHER_MS"] = 0  # inline: the same path without the gathering wait
    with app.test_request_context("/"):
        person = db.get(Participant, room["pids"][0])
        first, _ = answers.submit(
            answers.Sender.of(person), room["step"], {"value": "2"}, "same-key", phone_reply
        )
        assert first.error is None
        first_id = first.response.id
    post(teacher, f"/w/{room['id']}/go/2", page="/")
    with app.test_request_context("/"):
        person = db.get(Participant, room["pids"][0])
        again, html = answers.submit(
            answers.Sender.of(person), room["step"], {"value": "2"}, "same-key", phone_reply
        )
        assert again.error is None and again.response.id == first_id
        assert html is not None
        # Someone else's key is never theirs to resolve.
        other = db.get(Participant, room["pids"][1])
        stolen, _ = answers.submit(
            answers.Sender.of(other), room["step"], {"value": "2"}, "same-key", phone_reply
        )
        assert stolen.error == answers.NOT_SAVED


def test_keys_are_cleaned_before_they_reach_the_database(app, room):
    assert answers.clean_key("ab\x00c d\n") == "abcd"
    assert answers.clean_key("x" * 200) == "x" * answers.KEY_MAX
    assert answers.clean_key("\x00\x01") is None


def test_the_socket_and_the_post_are_the_same_entry_point(app, teacher):
    ws = make_workshop(teacher)
    post(teacher, f"/w/{ws['id']}/go/1", page="/")
    phone = join(app, ws["code"], "Pia")
    io = socketio.test_client(
        app, flask_test_client=phone, auth={"screen": "phone", "code": ws["code"]}
    )
    with app.app_context():
        step = db.get(Workshop, ws["id"]).current_step.id
    ack = io.emit("submit", {"step": step, "data": {"value": "5"}, "key": "sock-1"}, callback=True)
    assert ack["status"] == 200 and "Dit svar er gemt: <strong>Helt enig</strong>" in ack["html"]
    # The same key by POST afterwards is the same answer, not a second one.
    resp = post(phone, f"/j/{ws['code']}/s/{step}", {"value": "5"}, page=f"/j/{ws['code']}",
                headers={"Idempotency-Key": "sock-1"})  # fmt: skip
    assert resp.status_code == 200
    with app.app_context():
        rows = db.scalars(select(Response).where(Response.step_id == step)).all()
        assert [(r.payload, r.idempotency_key) for r in rows] == [({"value": 5}, "sock-1")]


@pytest.mark.parametrize(
    "message",
    [None, "text", {"step": 1}, {"data": {"value": "1"}}, {"step": "1", "data": {}},
     {"step": True, "data": {}}, {"step": 1, "data": {"v": 5}},
     {"step": 1, "data": {"v": "x" * 5000}},
     {"step": 1, "data": {f"k{i}": "1" for i in range(41)}}],
)  # fmt: skip
def test_a_malformed_socket_message_gets_an_error_ack(app, teacher, message):
    ws = make_workshop(teacher)
    phone = join(app, ws["code"], "Pia")
    io = socketio.test_client(
        app, flask_test_client=phone, auth={"screen": "phone", "code": ws["code"]}
    )
    args = () if message is None else (message,)
    ack = io.emit("submit", *args, callback=True)
    assert ack == {"status": 400}


def test_a_phone_over_the_limit_is_told_to_wait(app, room, monkeypatch):
    monkeypatch.setattr(limits, "ANSWERS", "3 per minute")
    app.config["ANSWER_GATHER_MS"] = 0
    with app.test_request_context("/"):
        person = db.get(Participant, room["pids"][3])
        results = [
            answers.submit(
                answers.Sender.of(person), room["step"], {"value": "3"}, f"l{i}", phone_reply
            )[0]
            for i in range(4)
        ]
    assert [o.error for o in results[:3]] == [None, None, None]
    assert results[3].error == limits.ANSWER_MESSAGE


def test_more_phones_waiting_than_the_pool_has_connections(app, teacher):
    """Twenty-five requests wait for one burst; each came with a session, none keeps it."""
    ws = make_workshop(teacher)
    post(teacher, f"/w/{ws['id']}/go/1", page="/")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        pids = [workshops.join(workshop, f"Deltager {n}").id for n in range(25)]
        step = workshop.current_step.id
    app.config["ANSWER_GATHER_MS"] = 300
    outcomes: list[answers.Outcome] = []
    start = threading.Barrier(25)

    def one(pid: int) -> None:
        start.wait()
        with app.test_request_context("/"):
            person = db.get(Participant, pid)  # the request's own connection, as a view has
            outcomes.append(send(person, step, "3", f"p{pid}")[0])
            db.remove()

    threads = [threading.Thread(target=one, args=(pid,)) for pid in pids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [o.error for o in outcomes] == [None] * 25
    assert _count(app, {"step": step}) == 25


def test_a_busy_worker_gathers_longer_and_a_quiet_one_does_not():
    from facilitator.answers.burst import GATHER_MAX_S, next_window

    base = 0.004
    assert next_window(0.001, 1, base) == base  # quiet: a burst is whatever arrives in 4 ms
    assert next_window(0.012, 1, base) == 0.012  # busy: as long as the last batch took
    assert next_window(0.001, 3, base) == 3 * base  # and the base once per answer it held
    assert next_window(0.001, 0, base) == base
    assert next_window(0.300, 1, base) == GATHER_MAX_S  # never longer than a phone should wait
    assert next_window(0.001, 40, base) == GATHER_MAX_S
    assert next_window(0.001, 1, 0.300) == 0.300  # a configured base above the cap stands

"""Phones are pushed before, and apart from, the screens that grow with the room (issue 15).

Counts and order, never times: which screens a push renders, and in which order.
"""

from __future__ import annotations

import threading

import pytest

from facilitator import changes, live
from facilitator.kinds import SCREENS
from facilitator.live import socketio
from tests.conftest import join, post


def watch(app, teacher, code: str, phone=None) -> list:  # noqa: ANN001
    """Sockets on every screen of the workshop, as a room with its projector has them."""
    phone = phone or join(app, code, "Pia")
    clients = [
        socketio.test_client(app, flask_test_client=phone, auth={"screen": "phone", "code": code})
    ]
    for screen in ("projector", "controls"):
        clients.append(
            socketio.test_client(
                app, flask_test_client=teacher, auth={"screen": screen, "code": code}
            )
        )
    assert all(c.is_connected() for c in clients)
    return clients


@pytest.fixture
def seen(monkeypatch) -> list[tuple[str, str]]:
    """Every render and emit of a push, as ("render" | "emit", screen), in order."""
    log: list[tuple[str, str]] = []
    real_render, real_emit = live.render, live._emit

    def render(screen, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        log.append(("render", screen))
        return real_render(screen, *args, **kwargs)

    def emit(workshop, screen, *args):  # noqa: ANN001, ANN002, ANN202
        log.append(("emit", screen))
        return real_emit(workshop, screen, *args)

    monkeypatch.setattr(live, "render", render)
    monkeypatch.setattr(live, "_emit", emit)
    return log


@pytest.fixture
def scheduled(app, monkeypatch) -> list[tuple]:
    """Pushes are scheduled, not run: each background task a push starts, to run by hand."""
    app.config["LIVE_SYNC"] = False
    tasks: list[tuple] = []
    monkeypatch.setattr(live.socketio, "start_background_task", lambda *a: tasks.append(a))
    return tasks


def test_the_phones_are_pushed_before_the_projector_and_controls_render(
    app, teacher, workshop, seen
):
    watch(app, teacher, workshop["code"])
    seen.clear()
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    phone_sent = seen.index(("emit", "phone"))
    assert ("render", "controls") in seen and ("render", "projector") in seen
    assert phone_sent < seen.index(("render", "controls"))
    assert phone_sent < seen.index(("render", "projector"))


def test_a_join_renders_no_phone_and_a_change_puts_the_room_on_its_own_lane(
    app, teacher, workshop, seen, scheduled, monkeypatch
):
    watch(app, teacher, workshop["code"])
    tasks = scheduled
    monkeypatch.setattr(live.socketio, "sleep", lambda _s=0: None)
    seen.clear()
    with app.app_context():
        changes.announce(workshop["id"], 1, SCREENS)
    # Two tasks, the phones' first; nothing rendered before they run.
    assert [args[2][1] for args in tasks] == ["phones", "room"]
    assert seen == []

    def run(task: tuple) -> list[tuple[str, str]]:
        seen.clear()
        worker = threading.Thread(target=task[0], args=task[1:])
        worker.start()
        worker.join()
        return list(seen)

    phones = run(tasks[0])
    assert ("emit", "phone") in phones
    assert not {("render", "controls"), ("render", "projector")} & set(phones)
    room = run(tasks[1])
    assert ("render", "controls") in room and ("render", "projector") in room
    assert ("render", "phone") not in room

    # A join changes only the room's screens: no phone is rendered for it.
    tasks.clear()
    with app.app_context():
        changes.announce(workshop["id"], 2, ("projector", "controls"))
    assert [args[2][1] for args in tasks] == ["room"]


def test_a_screen_nobody_watches_is_not_rendered(app, teacher, workshop, seen):
    code = workshop["code"]
    join(app, code, "Pia")
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    assert seen == []  # no socket in any room: nothing to render for

    projector = socketio.test_client(
        app, flask_test_client=teacher, auth={"screen": "projector", "code": code}
    )
    post(teacher, f"/w/{workshop['id']}/go/2", page="/")
    assert [screen for _what, screen in seen] == ["projector", "projector"]

    projector.disconnect()
    seen.clear()
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    assert seen == []


def test_with_a_message_queue_every_change_is_pushed(app):
    # Other processes' sockets are not known here: nobody may be skipped.
    app.config["SOCKETIO_MESSAGE_QUEUE"] = "redis://127.0.0.1:1/0"
    assert live.listening(app, 12345, "projector")
    app.config["SOCKETIO_MESSAGE_QUEUE"] = None
    assert not live.listening(app, 12345, "projector")


def test_the_instructors_reply_waits_until_the_phones_push_went_out(
    app, teacher, workshop, seen, scheduled
):
    """push_first returns once the phones' push was handed to the sockets, not before."""
    watch(app, teacher, workshop["code"])
    tasks = scheduled
    seen.clear()
    with app.app_context():
        changes.announce(workshop["id"], 1, SCREENS)
    phones = next(t for t in tasks if t[2][1] == "phones")
    worker = threading.Timer(0.03, phones[0], args=phones[1:])  # the push runs a moment later
    worker.start()
    live.push_first(workshop["id"])
    assert ("emit", "phone") in seen  # already sent when the reply may render
    worker.join()

    # A push that never comes holds the reply back no longer than PUSH_FIRST_MAX_S.
    tasks.clear()
    with app.app_context():
        changes.announce(workshop["id"], 2, SCREENS)
    waited = threading.Event()
    timer = threading.Timer(live.PUSH_FIRST_MAX_S * 5, waited.set)
    timer.start()
    live.push_first(workshop["id"])
    assert not waited.is_set()
    timer.cancel()

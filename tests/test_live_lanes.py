"""Phones are pushed before, and apart from, the screens that grow with the room (issue 15).

Counts and order, never times: which screens a push renders, and in which order.
"""

from __future__ import annotations

import threading

import pytest

from facilitator import changes, live
from facilitator.kinds import SCREENS
from tests.conftest import join, post


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


def test_the_phones_are_pushed_before_the_projector_and_controls_render(
    app, teacher, workshop, seen
):
    join(app, workshop["code"], "Pia")
    seen.clear()
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    phone_sent = seen.index(("emit", "phone"))
    assert ("render", "controls") in seen and ("render", "projector") in seen
    assert phone_sent < seen.index(("render", "controls"))
    assert phone_sent < seen.index(("render", "projector"))


def test_a_join_renders_no_phone_and_a_change_puts_the_room_on_its_own_lane(
    app, workshop, seen, monkeypatch
):
    join(app, workshop["code"], "Pia")
    app.config["LIVE_SYNC"] = False
    tasks: list[tuple] = []
    monkeypatch.setattr(live.socketio, "start_background_task", lambda *a: tasks.append(a))
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

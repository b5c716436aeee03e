"""turns: with a shared Redis queue one process at a time renders a lane's push."""

from __future__ import annotations

import secrets
import socket
import time

import pytest

from facilitator import turns


@pytest.fixture
def two_processes(app, redis_url):
    """Two apps on one queue and channel, as two gunicorn processes of one installation."""
    channel = f"test-turns-{secrets.token_hex(4)}"
    app.config.update(SOCKETIO_MESSAGE_QUEUE=redis_url, SOCKETIO_CHANNEL=channel)
    app.extensions.pop("turns_redis", None)
    other = type(app)(app.import_name)
    other.config.update(SOCKETIO_MESSAGE_QUEUE=redis_url, SOCKETIO_CHANNEL=channel)
    return app, other


def test_one_process_without_a_queue_never_waits(app):
    assert turns.take(app, 1, "room", 0.5) == 0.0
    assert turns.take(app, 1, "room", 0.5) == 0.0


def test_the_other_process_waits_until_the_turn_ends_then_takes_it(two_processes):
    first, second = two_processes
    assert turns.take(first, 7, "room", 0.3) == 0.0
    wait = turns.take(second, 7, "room", 0.3)
    assert 0.1 < wait <= 0.3
    assert turns.take(second, 7, "phones", 0.3) == 0.0  # another lane is its own turn
    assert turns.take(second, 8, "room", 0.3) == 0.0  # and another workshop
    time.sleep(wait + 0.05)  # Redis expires a key at its time, or a few ms after
    assert turns.take(second, 7, "room", 0.3) == 0.0
    assert turns.take(first, 7, "room", 0.3) > 0


def test_another_installation_on_the_same_redis_has_turns_of_its_own(two_processes, redis_url):
    first, _second = two_processes
    elsewhere = type(first)(first.import_name)
    elsewhere.config.update(SOCKETIO_MESSAGE_QUEUE=redis_url, SOCKETIO_CHANNEL="another-install")
    assert turns.take(first, 9, "room", 0.3) == 0.0
    assert turns.take(elsewhere, 9, "room", 0.3) == 0.0


def test_a_queue_that_is_down_holds_no_push_back(app):
    app.config["SOCKETIO_MESSAGE_QUEUE"] = "redis://127.0.0.1:1/0"  # nothing listens there
    assert turns.take(app, 1, "room", 0.5) == 0.0


def test_a_queue_that_hangs_holds_a_push_back_a_second_at_most(app):
    with socket.socket() as silent:  # accepts connections (its backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        app.config["SOCKETIO_MESSAGE_QUEUE"] = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        started = time.monotonic()
        assert turns.take(app, 1, "room", 0.5) == 0.0
        assert time.monotonic() - started < 3

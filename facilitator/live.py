"""The only Socket.IO code: auth on connect, rooms, and pushing fresh fragments on a change.

A change travels as: the domain commits through `changes.commit` -> `changed` fires ->
`on_change` gathers the changes of a moment (the phones, and the room's big screens, each on
a lane of their own) -> one render per distinct screen content -> emit to the screens'
rooms. Socket.IO delivers at most once, so every client also re-fetches its fragment over
HTTP on (re)connect, and fragments carry versions.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Any

from flask import Flask, request, session
from flask_socketio import SocketIO, join_room

from . import answers, changes, turns
from .db import db
from .kinds import SCREENS, ExerciseKind, StepView, kind_of
from .models import Participant, Workshop
from .ops.proxy import origin_checker
from .reading import by_token, can_teach, step_view, workshop_by_code
from .screens import render, socket_reply
from .validation import clean_text, socket_answer
from .views.auth import current_instructor

socketio = SocketIO()

# Many changes in the same second become one push per screen, at most every DEBOUNCE s.
DEBOUNCE = 0.15
# The projector and the controls (every participant listed) grow with the room: they are
# pushed on a lane of their own, at most every ROOM_DEBOUNCE s, so phones never wait for them.
ROOM_SCREENS = frozenset({"projector", "controls"})
ROOM_DEBOUNCE = 0.5
# The longest the instructor's reply waits for the phones' push to go out first.
PUSH_FIRST_MAX_S = 0.1

_lock = threading.Lock()
_pending: dict[tuple[int, str], dict[str, set]] = {}  # (workshop, lane) -> what to push
_last_flush: dict[tuple[int, str], float] = defaultdict(float)
_flushed: dict[tuple[int, str], threading.Event] = {}  # set once the scheduled push went out
_phones: dict[str, answers.Sender] = {}  # socket id -> who answers over it


def room(workshop_id: int, screen: str) -> str:
    return f"w{workshop_id}:{screen}"


def init_app(app: Flask) -> None:
    """Attach Socket.IO to the app (with the message queue when scaling out) and subscribe."""
    socketio.init_app(
        app,
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        # One channel per installation: two installations on one Redis never meet.
        channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio"),
        cors_allowed_origins=origin_checker(app.config.get("PUBLIC_URL")),
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
        ping_interval=20,
        ping_timeout=25,
        max_http_buffer_size=64 * 1024,
    )
    socketio.server.on("submit", on_submit)
    changes.changed.connect(on_change, sender=app, weak=False)


@socketio.on("connect")
def on_connect(auth: dict[str, Any] | None = None) -> bool:
    """Put the socket in its screen's rooms; refuse anyone without the right to be there."""
    try:
        admitted = _admit(auth if isinstance(auth, dict) else {})
        if admitted:
            # Every later event of this socket runs in a request made from the connect's
            # environ, and Flask opens (verifies, inflates, parses) its session cookie each
            # time. Who the socket is was settled above and is kept by its sid, so the events
            # need no cookie: a room's burst of answers skips a signature check per answer.
            request.environ.pop("HTTP_COOKIE", None)
        return admitted
    finally:
        db.remove()  # Socket.IO handlers have no request teardown of their own


def _admit(auth: dict[str, Any]) -> bool:
    # The socket's own boundary: the same cleaning as a form's (NUL breaks PostgreSQL).
    screen, code = auth.get("screen"), clean_text(str(auth.get("code", "")))[:12]
    workshop = workshop_by_code(code)
    if workshop is None or screen not in SCREENS:
        return False
    if screen == "phone":
        participant = by_token(workshop, session.get("phones", {}).get(workshop.code))
        if participant is None:
            return False
        join_room(room(workshop.id, "phone"))
        join_room(f"p{participant.id}")
        _phones[request.sid] = answers.Sender.of(participant)
        if participant.group_id:
            join_room(room(workshop.id, f"g{participant.group_id}"))
        return True
    if not can_teach(current_instructor(), workshop):
        return False
    join_room(room(workshop.id, screen))
    return True


@socketio.on("disconnect")
def on_disconnect(*_args: Any) -> None:
    _phones.pop(request.sid, None)


def on_submit(sid: str, msg: Any = None) -> dict[str, Any]:
    """A phone's answer over its socket: the same entry point as the POST, acked with html.

    The socket's own identity stands in for the CSRF token: Socket.IO refuses cross-origin
    connections. A malformed message gets an error ack, never an exception.
    Registered on python-socketio itself (init_app): Flask-SocketIO would build a whole Flask
    request (routing, session, teardown) around each event, half an answer's server time in
    a room's burst; an answer needs only the app and the sender kept since the connect.
    """
    environ = socketio.server.get_environ(sid) or {}
    app = environ.get("flask.app")
    if app is None:
        return {"status": 401}
    with app.app_context():
        return _submit(sid, msg)


def _submit(sid: str, msg: Any) -> dict[str, Any]:
    try:
        sender = _phones.get(sid)  # ids from the connect: no query per answer
        if sender is None:
            return {"status": 401}
        answer = socket_answer(msg)
        if answer is None:
            return {"status": 400}
        step_id, data = answer
        outcome, html = answers.submit(sender, step_id, data, msg.get("key"), socket_reply)
        if html is None:  # no html: the page posts it instead and shows the reason
            return {"status": 429 if outcome.limited else 500}
        return {"status": 422 if outcome.error else 200, "html": str(html)}
    finally:
        db.remove()


# ---- pushing changes -------------------------------------------------------------------------


def listening(app: Flask, workshop_id: int, screen: str) -> bool:
    """Whether a screen of the workshop may have a socket to push to.

    One process without a message queue knows every socket: a room nobody is in (a plan
    edited after the day, a test without sockets) is not rendered for. With a queue, the
    other processes' sockets are unknown here, so every change is pushed.
    """
    if app.config.get("SOCKETIO_MESSAGE_QUEUE") or socketio.server is None:
        return True
    manager = socketio.server.manager
    return next(iter(manager.get_participants("/", room(workshop_id, screen))), None) is not None


def on_change(app: Flask, change: changes.Change) -> None:
    """Subscriber of `changes.changed`: schedule a push of what the change touched."""
    wid = change.workshop_id
    heard = {s for s in change.screens | {"phone"} if listening(app, wid, s)}
    lanes = {
        "phones": {
            "screens": set(change.screens - ROOM_SCREENS) & heard,
            "groups": set(change.groups) if "phone" in heard else set(),
        },
        "room": {"screens": set(change.screens & ROOM_SCREENS) & heard, "groups": set()},
    }
    if app.config.get("LIVE_SYNC"):
        # Tests: push before returning (phones first), from a thread of its own so the push's
        # session (and its db.remove()) never touches the caller's.
        for entry in (part for part in lanes.values() if part["screens"] or part["groups"]):
            worker = threading.Thread(target=_flush, args=(app, change.workshop_id, entry))
            worker.start()
            worker.join()
        return
    for lane, part in lanes.items():  # phones first: their task is started first
        if part["screens"] or part["groups"]:
            _schedule(app, (change.workshop_id, lane), part)


def push_first(workshop_id: int) -> None:
    """Let the phones' scheduled push go out before the caller renders its own reply.

    Under gevent rendering never yields: after the instructor's «Næste» the phones' push would
    wait for the controls' reply to render. Waiting until the push has been handed to the
    sockets (at most PUSH_FIRST_MAX_S) lets their writers run before this reply renders. Not
    for answers: there the sender's own acknowledgement comes first.
    """
    flushed = _flushed.get((workshop_id, "phones"))
    if flushed is None:
        socketio.sleep(0)
    else:
        flushed.wait(timeout=PUSH_FIRST_MAX_S)


def _schedule(app: Flask, key: tuple[int, str], part: dict[str, set]) -> None:
    with _lock:
        entry = _pending.get(key)
        fresh = entry is None
        if fresh:
            entry = _pending[key] = {"screens": set(), "groups": set()}
            flushed = _flushed[key] = threading.Event()
        entry["screens"].update(part["screens"])
        entry["groups"].update(part["groups"])
    if fresh:
        socketio.start_background_task(_flush_later, app, key, flushed)


def _flush_later(app: Flask, key: tuple[int, str], flushed: threading.Event) -> None:
    try:
        _flush_when_due(app, key)
    finally:
        flushed.set()


def _flush_when_due(app: Flask, key: tuple[int, str]) -> None:
    # Leading edge: the first change after a quiet spell goes out at once; a burst waits.
    workshop_id, lane = key
    debounce = ROOM_DEBOUNCE if lane == "room" else DEBOUNCE
    wait = _last_flush[key] + debounce - time.monotonic()
    if wait > 0:
        socketio.sleep(wait)
    if lane == "room":
        socketio.sleep(0)  # a phones' push that is due now goes first: rendering never yields
    # With several processes, one renders at a time: its push reaches every process's sockets.
    while (busy := turns.take(app, workshop_id, lane, debounce)) > 0:
        socketio.sleep(busy)
    with _lock:
        entry = _pending.pop(key, None)
        _last_flush[key] = time.monotonic()
    if entry:
        try:
            _flush(app, workshop_id, entry)
        except Exception:  # a push must never kill the server; clients re-fetch anyway
            app.logger.exception("push failed for workshop %s", workshop_id)


def _flush(app: Flask, workshop_id: int, entry: dict[str, set]) -> None:
    with app.app_context(), app.test_request_context("/"):
        try:
            stamp = time.time_ns() // 1000
            workshop = db.get(Workshop, workshop_id)
            if workshop is None:
                return
            step = workshop.current_step
            view = step_view(workshop, step) if step is not None else None
            for screen in ("projector", "controls"):
                if screen in entry["screens"]:
                    html = render(screen, workshop, view=view, stamp=stamp)
                    _emit(workshop, screen, html, stamp, room(workshop_id, screen))
            if "phone" in entry["screens"] or entry["groups"]:
                kind = kind_of(step) if step is not None else None
                _push_phones(workshop, view, stamp, entry, kind)
        finally:
            db.remove()


def _push_phones(
    workshop: Workshop,
    view: StepView | None,
    stamp: int,
    entry: dict[str, set],
    kind: ExerciseKind | None,
) -> None:
    """Render once per distinct phone view and send it where it belongs."""
    if view is None or kind is None:
        html = render("phone", workshop, stamp=stamp)
        _emit(workshop, "phone", html, stamp, room(workshop.id, "phone"))
        return
    view.responses  # noqa: B018  one query for the whole room, not one per phone
    everyone = "phone" in entry["screens"]
    targets = [p for p in view.participants if everyone or p.group_id in entry["groups"]]
    by_key: dict[Any, list[Participant]] = defaultdict(list)
    for p in targets:
        key = kind.phone_key(view.for_participant(p))
        by_key[key if key is not None else ("p", p.id)].append(p)
    if not targets:
        return
    if everyone and len(by_key) == 1:
        html = render("phone", workshop, participant=targets[0], view=view, stamp=stamp)
        _emit(workshop, "phone", html, stamp, room(workshop.id, "phone"))
        return
    for members in by_key.values():
        html = render("phone", workshop, participant=members[0], view=view, stamp=stamp)
        for p in members:
            _emit(workshop, "phone", html, stamp, f"p{p.id}")


def _emit(workshop: Workshop, screen: str, html: str, stamp: int, to: str) -> None:
    payload = {"screen": screen, "v": workshop.version, "t": stamp, "html": str(html)}
    socketio.emit("fragment", payload, to=to)

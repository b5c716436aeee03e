"""The only Socket.IO code: auth on connect, rooms, and notify() pushing fresh fragments.

A change travels as: domain commits -> notify(workshop) -> one render per distinct screen
content -> emit to the screens' rooms. Socket.IO delivers at most once, so every client
also re-fetches its fragment over HTTP on (re)connect, and fragments carry versions.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app, request, session
from flask_socketio import SocketIO, join_room
from sqlalchemy import select

from .db import db
from .kinds import SCREENS

socketio = SocketIO()

# Many answers in the same second become one push per screen, at most every DEBOUNCE s.
DEBOUNCE = 0.15

_lock = threading.Lock()
_pending: dict[int, dict[str, set]] = {}
_last_flush: dict[int, float] = defaultdict(float)


def room(workshop_id: int, screen: str) -> str:
    return f"w{workshop_id}:{screen}"


def init_app(app: Flask) -> None:
    """Attach Socket.IO to the app, with the message queue when scaling out."""
    from .ops.proxy import origin_checker

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
    app.extensions["live_app"] = app


@socketio.on("connect")
def on_connect(auth: dict[str, Any] | None = None) -> bool:
    """Put the socket in its screen's rooms; refuse anyone without the right to be there."""
    try:
        return _admit(auth)
    finally:
        db.remove()  # Socket.IO handlers have no request teardown of their own


def _admit(auth: dict[str, Any] | None) -> bool:
    from .models import Workshop
    from .views.auth import current_instructor
    from .workshops import by_token, can_teach

    auth = auth if isinstance(auth, dict) else {}
    screen = auth.get("screen")
    code = str(auth.get("code", ""))
    workshop = db.scalar(select(Workshop).where(Workshop.code == code))
    if workshop is None or screen not in SCREENS:
        return False
    if screen == "phone":
        participant = by_token(workshop, session.get("phones", {}).get(code))
        if participant is None:
            return False
        join_room(room(workshop.id, "phone"))
        join_room(f"p{participant.id}")
        _phones[request.sid] = (workshop.id, participant.id)
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


# ---- answers over the socket -----------------------------------------------------------------
# A phone whose socket is up sends its answer as a "submit" event instead of a POST: no HTTP
# round trip of its own, and a room answering at once is stored in a few shared transactions
# (answers.store) instead of one each. The ack carries the phone's fresh fragment. The socket's
# own identity stands in for the CSRF token: Socket.IO refuses cross-origin connections.

_phones: dict[str, tuple[int, int]] = {}  # socket id -> (workshop id, participant id)
MAX_FIELDS = 40
MAX_VALUE = 4000


@socketio.on("submit")
def on_submit(msg: Any) -> dict[str, Any]:
    ident = _phones.get(request.sid)
    if ident is None:
        return {"status": 401}
    if not isinstance(msg, dict) or not isinstance(msg.get("data"), dict):
        return {"status": 400}
    data = msg["data"]
    if len(data) > MAX_FIELDS or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_VALUE for k, v in data.items()
    ):
        return {"status": 400}
    try:
        step_id = int(msg.get("step"))
    except (TypeError, ValueError):
        return {"status": 400}
    key = str(msg.get("key") or "")[:64] or None
    from .limits import answer_allowed

    if not answer_allowed(ident[1]):
        return {"status": 429}  # no html: the phone posts it, and shows the Danish refusal
    return _batcher().submit(ident, step_id, data, key)


class _Batcher:
    """Gathers the answers of a burst and stores them together, then acks each phone."""

    GATHER_S = 0.004

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.queue: list[dict[str, Any]] = []
        self.wake = socketio.server.eio.create_event()
        socketio.start_background_task(self._loop)

    def submit(self, ident: tuple[int, int], step_id: int, data: dict, key: str | None) -> dict:
        item = {"ident": ident, "step_id": step_id, "data": data, "key": key, "result": None}
        item["done"] = socketio.server.eio.create_event()
        self.queue.append(item)
        self.wake.set()
        if not item["done"].wait(timeout=20):
            return {"status": 503}
        return item["result"]

    def _loop(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            socketio.sleep(self.GATHER_S)  # let the rest of a burst arrive
            batch, self.queue = self.queue, []
            if not batch:
                continue
            try:
                self._store(batch)
            except Exception:  # never leave a phone waiting: it falls back to HTTP
                self.app.logger.exception("storing %d answers failed", len(batch))
            finally:
                db.remove()
                for item in batch:
                    if item["result"] is None:
                        item["result"] = {"status": 500}
                    item["done"].set()

    def _store(self, batch: list[dict[str, Any]]) -> None:
        from .answers import Answer, store
        from .models import Participant, Workshop
        from .screens import render
        from .workshops import kind_of, step_view

        by_workshop: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for item in batch:
            by_workshop[item["ident"][0]].append(item)
        with self.app.app_context(), self.app.test_request_context("/"):
            for workshop_id, items in by_workshop.items():
                workshop = db.get(Workshop, workshop_id)
                ids = {item["ident"][1] for item in items}
                people = {
                    p.id: p for p in db.scalars(select(Participant).where(Participant.id.in_(ids)))
                }
                items = [i for i in items if i["ident"][1] in people]
                answers = [
                    Answer(people[i["ident"][1]], i["step_id"], i["data"], i["key"]) for i in items
                ]
                outcomes = store(workshop, answers)
                db.refresh(workshop)
                step = workshop.current_step
                view = step_view(workshop, step) if step else None
                if view is not None:
                    view.responses  # noqa: B018  one read for all, not one per phone
                kind = kind_of(step) if step else None
                rendered: dict[Any, str] = {}
                for item, answer, outcome in zip(items, answers, outcomes, strict=True):
                    p = answer.participant
                    key = kind.phone_key(view.for_participant(p)) if view else "lobby"
                    cache_key = (key if key is not None else p.id, outcome.error)
                    if cache_key not in rendered:
                        extra = {"error": outcome.error} if outcome.error else {"saved": True}
                        rendered[cache_key] = str(render("phone", workshop, p, view=view, **extra))
                    status = 422 if outcome.error else 200
                    item["result"] = {"status": status, "html": rendered[cache_key]}


def _batcher() -> _Batcher:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    batcher = app.extensions.get("live_batcher")
    if batcher is None:
        with _lock:
            batcher = app.extensions.get("live_batcher")
            if batcher is None:
                batcher = app.extensions["live_batcher"] = _Batcher(app)
    return batcher


def notify(
    workshop_id: int,
    screens: Iterable[str] = SCREENS,
    groups: Iterable[int | None] = (),
) -> None:
    """Tell the screens of a workshop that something they show has changed (after commit).

    `groups` limits the phone update to the phones of those groups when `screens` has no
    "phone": the other phones' views did not change.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("LIVE_SYNC"):
        # Tests: push before returning, from a thread of its own so the push's session
        # (and its db.remove()) never touches the caller's.
        entry = {"screens": set(screens), "groups": set(groups) - {None}}
        worker = threading.Thread(target=_flush, args=(app, workshop_id, entry))
        worker.start()
        worker.join()
        return
    with _lock:
        entry = _pending.get(workshop_id)
        fresh = entry is None
        if fresh:
            entry = _pending[workshop_id] = {"screens": set(), "groups": set()}
        entry["screens"].update(screens)
        entry["groups"].update(g for g in groups if g)
    if fresh:
        socketio.start_background_task(_flush_later, app, workshop_id)


def _flush_later(app: Flask, workshop_id: int) -> None:
    # Leading edge: the first change after a quiet spell goes out at once; a burst waits.
    wait = _last_flush[workshop_id] + DEBOUNCE - time.monotonic()
    if wait > 0:
        socketio.sleep(wait)
    with _lock:
        entry = _pending.pop(workshop_id, None)
        _last_flush[workshop_id] = time.monotonic()
    if entry:
        try:
            _flush(app, workshop_id, entry)
        except Exception:  # a push must never kill the server; clients re-fetch anyway
            app.logger.exception("push failed for workshop %s", workshop_id)


def _flush(app: Flask, workshop_id: int, entry: dict[str, set]) -> None:
    from .models import Workshop
    from .screens import render
    from .workshops import kind_of, step_view

    with app.app_context(), app.test_request_context("/"):
        stamp = time.time_ns() // 1000
        workshop = db.get(Workshop, workshop_id)
        if workshop is None:
            return
        db.refresh(workshop)
        step = workshop.current_step
        view = step_view(workshop, step) if step is not None else None
        for screen in ("projector", "controls"):
            if screen in entry["screens"]:
                html = render(screen, workshop, view=view, stamp=stamp)
                _emit(workshop, screen, html, stamp, room(workshop_id, screen))
        if "phone" in entry["screens"] or entry["groups"]:
            _push_phones(workshop, view, stamp, entry, kind_of(step) if step else None)
        db.remove()


def _push_phones(workshop, view, stamp: int, entry: dict[str, set], kind) -> None:  # noqa: ANN001
    """Render once per distinct phone view and send it where it belongs."""
    from .screens import render

    if view is None:
        html = render("phone", workshop, stamp=stamp)
        _emit(workshop, "phone", html, stamp, room(workshop.id, "phone"))
        return
    view.responses  # noqa: B018  one query for the whole room, not one per phone
    everyone = "phone" in entry["screens"]
    targets = [p for p in view.participants if everyone or p.group_id in entry["groups"]]
    by_key: dict[Any, list] = defaultdict(list)
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


def _emit(workshop, screen: str, html: str, stamp: int, to: str) -> None:  # noqa: ANN001
    socketio.emit(
        "fragment", {"screen": screen, "v": workshop.version, "t": stamp, "html": html}, to=to
    )

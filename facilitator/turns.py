"""Whose turn it is to render a room's push, when several processes share a message queue.

Every process stores answers and so schedules pushes, but a push rendered by one process
reaches the sockets of all of them through the queue. Without turns, each process rendered
the same projector and controls every half second: at 3,000 phones that was a third of the
servers' time while a room answered. A turn is a Redis key set with NX and a time to live
(the lane's debounce): the process that sets it renders; another waits until it expires and
then renders what is new by then. Nothing is ever skipped, only spaced out.
"""

from __future__ import annotations

from flask import Flask

# Never wait less than this for another process's turn: a key about to expire is not polled.
MIN_WAIT_S = 0.005


def _client(app: Flask):  # noqa: ANN202
    """The Redis of the message queue, or None (one process, or a queue that is not Redis)."""
    if "turns_redis" not in app.extensions:
        url = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
        client = None
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            # Short timeouts: a Redis that hangs must not hold a push back for long.
            pool = redis.BlockingConnectionPool.from_url(
                url, max_connections=8, timeout=1, socket_timeout=1, socket_connect_timeout=1
            )
            client = redis.Redis(connection_pool=pool)
        app.extensions["turns_redis"] = client
    return app.extensions["turns_redis"]


def take(app: Flask, workshop_id: int, lane: str, seconds: float) -> float:
    """Take the turn to render `lane` of the workshop for `seconds`: 0.0 when taken (or when
    no other process can hold it), else how long to wait before asking again."""
    client = _client(app)
    if client is None:
        return 0.0
    import redis

    name = f"{app.config.get('SOCKETIO_CHANNEL', 'facilitator')}:turn:{workshop_id}:{lane}"
    pipe = client.pipeline(transaction=False)
    pipe.set(name, 1, nx=True, px=max(1, round(seconds * 1000)))
    pipe.pttl(name)
    try:
        taken, left_ms = pipe.execute()
    except redis.RedisError:  # a push is never held back by Redis trouble
        app.logger.warning("turns: Redis unavailable, rendering without a turn")
        return 0.0
    if taken:
        return 0.0
    return max(MIN_WAIT_S, left_ms / 1000)

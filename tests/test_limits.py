"""limits: the embedded default counts in memory without sweeping every key after each hit."""

from __future__ import annotations

import secrets
import threading
import time

from facilitator import limits


def test_the_embedded_default_counts_in_the_calm_memory_storage(app):
    storage = app.extensions["facilitator_limiter"].limiter.storage
    assert isinstance(storage, limits.CalmMemoryStorage)
    with app.test_request_context("/"):
        assert all(limits.hit("k", "3 per minute") for _ in range(3))
        assert not limits.hit("k", "3 per minute")  # the fourth is refused, not counted
        assert not limits.test("k", "3 per minute")
        limits.clear("k", "3 per minute")
        assert limits.test("k", "3 per minute")


def test_the_sweep_waits_a_second_and_then_frees_what_expired(app):
    storage = app.extensions["facilitator_limiter"].limiter.storage
    storage.SWEEP_S = 0.2  # the same sweep, sooner, so the test need not wait a second
    with app.test_request_context("/"):
        for n in range(50):
            limits.hit(f"phone-{n}", "1 per 1 second")
    # Not swept 10 ms after the hits, as the library's own storage does.
    time.sleep(0.05)
    assert sum(len(events) for events in storage.events.values()) == 50

    def kept() -> int:
        return sum(len(events) for key, events in storage.events.items() if "phone-" in key)

    deadline = time.monotonic() + 5
    while kept() and time.monotonic() < deadline:
        time.sleep(0.1)  # the entries expire after 1 s; a sweep after a later hit frees them
        with app.test_request_context("/"):
            limits.hit("other", "100 per 1 second")
    assert kept() == 0


def test_a_server_counts_in_its_redis_as_configured(app):
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
    assert limits._storage_uri(app) == "redis://127.0.0.1:6379/0"
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    assert limits._storage_uri(app) == "calm-memory://"


def test_a_room_at_once_waits_for_the_redis_pool_instead_of_failing(app, redis_url):
    """Twice as many concurrent answers as the pool has connections: every one is counted."""
    import redis

    app.config.update(RATELIMIT_STORAGE_URI=redis_url, REDIS_POOL_SIZE=4)
    app.config["SOCKETIO_CHANNEL"] = f"test-limits-{secrets.token_hex(4)}"  # counts of its own
    limits.init_app(app)
    pool = app.extensions["facilitator_limiter"].limiter.storage.storage.connection_pool
    assert isinstance(pool, redis.BlockingConnectionPool) and pool.max_connections == 4
    barrier = threading.Barrier(40)
    results: list[bool | Exception] = []

    def answer(n: int) -> None:
        with app.test_request_context("/"):
            barrier.wait()
            try:
                results.append(limits.answers_allowed([n])[0])
            except Exception as exc:  # what redis-py's own pool raised
                results.append(exc)

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 40


def test_no_request_is_checked_against_route_limits_nobody_set(app):
    limiter = app.extensions["facilitator_limiter"]
    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])
    # What the views count is still counted.
    with app.test_request_context("/"):
        assert limits.hit("x", "1 per minute") and not limits.hit("x", "1 per minute")


def test_a_burst_is_counted_in_one_pipeline_of_the_librarys_script_on_redis(
    app, monkeypatch, redis_url
):
    """One round trip for a burst's answers; each phone still has its own count."""
    app.config.update(RATELIMIT_STORAGE_URI=redis_url)
    app.config["SOCKETIO_CHANNEL"] = f"test-limits-{secrets.token_hex(4)}"
    limits.init_app(app)
    monkeypatch.setattr(limits, "ANSWERS", "3 per minute")
    storage = app.extensions["facilitator_limiter"].limiter.storage
    one_by_one: list[str] = []
    library_hit = storage.acquire_entry
    monkeypatch.setattr(
        storage,
        "acquire_entry",
        lambda key, *a, **kw: one_by_one.append(key) or library_hit(key, *a, **kw),
    )
    with app.test_request_context("/"):
        assert limits.answers_allowed([1, 1, 1, 1, 2]) == [True, True, True, False, True]
        assert one_by_one == []  # the pipeline, not a call per answer
        assert not limits.test("answers:p1", "3 per minute")
        assert limits.answers_allowed([2, 2, 2]) == [True, True, False]
        # A Redis that lost its scripts (restarted) still counts: the library loads it again.
        storage.storage.script_flush()
        assert limits.answers_allowed([3, 3]) == [True, True]
        assert len(one_by_one) == 2
        assert limits.answers_allowed([3, 3]) == [True, False]

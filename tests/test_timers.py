"""Timers are deadlines: pause, resume, add time, all computed from `now`."""

from datetime import UTC, datetime, timedelta

from facilitator import timers

T0 = datetime(2026, 2, 25, 12, 0, tzinfo=UTC)


def test_running_timer_counts_down_from_the_deadline():
    t = timers.start(120, T0)
    assert timers.remaining_ms(t, T0 + timedelta(seconds=30)) == 90_000
    assert not timers.expired(t, T0 + timedelta(seconds=119))
    assert timers.expired(t, T0 + timedelta(seconds=121))
    assert timers.show(t, T0)["deadline_ms"] == int(
        (T0 + timedelta(seconds=120)).timestamp() * 1000
    )


def test_pause_keeps_the_time_left_and_resume_sets_a_new_deadline():
    t = timers.pause(timers.start(60, T0), T0 + timedelta(seconds=20))
    assert timers.paused(t) and timers.remaining_ms(t, T0 + timedelta(hours=1)) == 40_000
    assert not timers.expired(t, T0 + timedelta(hours=1))
    resumed = timers.resume(t, T0 + timedelta(minutes=5))
    assert timers.remaining_ms(resumed, T0 + timedelta(minutes=5, seconds=10)) == 30_000
    assert timers.show(t, T0) == {"deadline_ms": None, "paused_left": 40_000}


def test_add_time_to_running_paused_and_ended_timers():
    now = T0 + timedelta(seconds=50)
    assert timers.remaining_ms(timers.add(timers.start(60, T0), 30, now), now) == 40_000
    paused = timers.pause(timers.start(60, T0), now)
    assert timers.remaining_ms(timers.add(paused, 30, now), now) == 40_000
    ended = timers.start(10, T0)
    assert timers.remaining_ms(timers.add(ended, 30, now), now) == 30_000

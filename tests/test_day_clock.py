"""The day clock: planned starts from clock times and minutes, ahead of or behind plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from facilitator.day_clock import (
    ClockError,
    PlannedStep,
    planned_times,
    read_kl,
    read_minutes,
    schedule,
    status,
)

# 18 March 2026: Copenhagen is UTC+1 (winter time); 8.30 local is 7.30 UTC.
DAY = datetime(2026, 3, 18, 7, 30, tzinfo=UTC)


def utc(hour: int, minute: int = 0, day: int = 18, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def store_med(started: dict[int, datetime] | None = None) -> list[PlannedStep]:
    """The morning of Store MED dag: 8.30 welcome, 9.00 part 1, 9.55 pause, 10.15 part 2."""
    plan = [(10, "8.30"), (20, ""), (25, "9.00"), (30, ""), (20, "9.55"), (70, "10.15"), (5, "")]
    started = started or {}
    return [PlannedStep(m, kl, started.get(i)) for i, (m, kl) in enumerate(plan)]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("9.00", "9.00"), ("09:05", "9.05"), ("kl. 13.30", "13.30"), ("8", "8.00"), ("", "")],
)
def test_clock_times_are_read_the_danish_ways(raw, shown):
    assert read_kl(raw) == shown


@pytest.mark.parametrize("raw", ["24.00", "9.60", "ni", "9.5", 930, "9.00; drop", "1" * 5000])
def test_bad_clock_times_are_refused_in_danish(raw):
    with pytest.raises(ClockError, match="klokkeslæt"):
        read_kl(raw)


@pytest.mark.parametrize("raw", [0, -5, 601, "tyve", 2.5, True, "²"])
def test_bad_lengths_are_refused(raw):
    with pytest.raises(ClockError, match="helt tal"):
        read_minutes(raw)
    assert read_minutes("25") == 25 and read_minutes(None) is None


def test_the_plan_follows_clock_times_and_minutes():
    times = planned_times(store_med(), DAY)
    assert times[:3] == ["kl. 08.30 · 10 min", "kl. 08.40 · 20 min", "kl. 09.00 · 25 min"]
    assert times[3] == "kl. 09.25 · 30 min" and times[5] == "kl. 10.15 · 70 min"
    assert times[6] == "kl. 11.25 · 5 min"


def test_steps_before_the_first_clock_time_count_back_from_it():
    steps = [PlannedStep(10), PlannedStep(5), PlannedStep(20, "9.00")]
    assert [t[:9] for t in planned_times(steps, DAY)] == ["kl. 08.45", "kl. 08.55", "kl. 09.00"]


def test_on_time_ahead_and_behind():
    assert status(store_med(), DAY) is None  # nothing started: nothing to say
    on_time = store_med({0: utc(7, 30)})
    assert status(on_time, utc(7, 35)).text == "Til tiden"
    # Part 1 (planned 9.00 local) started at 9.03: three minutes behind.
    late = store_med({0: utc(7, 30), 2: utc(8, 3)})
    assert status(late, utc(8, 4)).text == "3 min bagud"
    # Started two minutes early, and still inside its time: ahead.
    early = store_med({0: utc(7, 30), 2: utc(7, 58)})
    assert status(early, utc(8, 10)).text == "2 min foran"
    # It ran on: planned end 9.25, now 9.40 local, and still on that step.
    assert status(early, utc(8, 40)).text == "15 min bagud"
    assert status(early, utc(8, 40)).tone == "late"


def test_the_furthest_step_counts_even_after_going_back():
    steps = store_med({0: utc(7, 30), 2: utc(8, 0), 5: utc(9, 20)})
    assert status(steps, utc(9, 21)).step == 5
    assert status(steps, utc(9, 21)).text == "5 min bagud"


def test_without_clock_times_the_plan_starts_with_the_day():
    steps = [PlannedStep(10, "", utc(12, 7)), PlannedStep(15, "", utc(12, 20))]
    assert status(steps, utc(12, 21)).text == "3 min bagud"
    assert planned_times(steps, utc(12, 21)) == ["kl. 13.07 · 10 min", "kl. 13.17 · 15 min"]
    assert status([PlannedStep(), PlannedStep(None, "", utc(9))], utc(9, 30)) is None


def test_the_clock_at_2330_utc_is_the_next_day_in_copenhagen():
    # 23.30 UTC on 17 March is 0.30 on 18 March in Copenhagen: "kl. 0.15" is that night,
    # not the night before (which a UTC date would give: 24 hours behind).
    night = [PlannedStep(30, "0.15", utc(23, 30, day=17))]
    assert status(night, utc(23, 31, day=17)).text == "15 min bagud"
    # In summer time (UTC+2) the same UTC moment is 1.30 local.
    summer = [PlannedStep(120, "1.00", utc(23, 30, day=17, month=6))]
    assert status(summer, utc(23, 30, day=17, month=6)).text == "30 min bagud"


def test_the_night_daylight_saving_starts():
    # 29 March 2026: clocks go from 2.00 to 3.00. 1.30 + 60 min is 3.30 local, 1.30 UTC.
    steps = [PlannedStep(60, "1.30", utc(0, 30, day=29)), PlannedStep(10, "", utc(1, 30, day=29))]
    assert schedule(steps, utc(1, 30, day=29))[1] == utc(1, 30, day=29)
    assert status(steps, utc(1, 31, day=29)).text == "Til tiden"
    assert planned_times(steps, utc(1, 31, day=29))[1] == "kl. 03.30 · 10 min"


def test_a_long_day_counts_in_whole_minutes():
    steps = [PlannedStep(5, "8.30", DAY + timedelta(hours=2, seconds=29))]
    late = status(steps, DAY + timedelta(hours=2, seconds=40))
    assert late.late_minutes == 120 and late.text == "2 t 0 min bagud"
    early = [PlannedStep(5, "11.00", DAY + timedelta(minutes=1))]
    assert status(early, DAY + timedelta(minutes=2)).text == "2 t 29 min foran"


def test_day_two_appended_to_day_one_reckons_on_its_own_day():
    # Day 1 started 18 March; day 2's steps (kl. 8.30 again) began on 19 March at 8.34.
    day1 = [PlannedStep(60, "8.30", utc(7, 30)), PlannedStep(30, "", utc(8, 30))]
    day2 = [PlannedStep(60, "8.30", utc(7, 34, day=19))]
    assert status(day1 + day2, utc(7, 35, day=19)).text == "4 min bagud"


def test_a_step_planned_before_midnight_begun_after_it_is_late_not_a_day_early():
    steps = [PlannedStep(30, "23.50", utc(23, 5, day=17))]  # 0.05 on the 18th in Copenhagen
    assert status(steps, utc(23, 6, day=17)).text == "15 min bagud"

"""Fixtures of this folder: the plan tests' room (two tables, an idea board, a plan step)."""

from tests.plan_room import room  # noqa: F401  (a fixture, shared with the other folder)

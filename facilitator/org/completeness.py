"""When a plan counts as complete: the one place that decides it, for the round's overview.

For now a simple rule: the plan has rows, and every row names the problem, the solution
(the activity), a tovholder and a deadline. A full check of Arbejdstilsynet's rules for an
APV action plan is meant to live in facilitator/plans/apv.py as `missing(plan, on) -> list[str]`;
when it exists, `missing` below is the one function to swap for it (plan_facts passes `on`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..plans.models import ActionPlan

# What every row must say, and the Danish word for it when it does not.
REQUIRED = (
    ("theme", "problem"),
    ("activity", "løsning"),
    ("tovholder", "tovholder"),
    ("deadline", "deadline"),
)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def missing(plan: ActionPlan, on: date | None = None) -> list[str]:
    """What the plan lacks, in Danish, one line per row that lacks something; [] when complete.

    `on` (the day to judge on) is unused by this simple rule; the APV check needs it."""
    if not plan.items:
        return ["Planen har ingen rækker endnu."]
    out = []
    for number, item in enumerate(plan.items, start=1):
        lacking = [word for field, word in REQUIRED if not getattr(item, field)]
        if lacking:
            out.append(f"Række {number} mangler {_and(lacking)}.")
    return out


def is_complete(plan: ActionPlan, on: date | None = None) -> bool:
    return not missing(plan, on)

"""When a plan counts as complete: the one place that decides it, for the round's overview.

A plan is complete when the APV check (facilitator/plans/apv.py, Arbejdstilsynet's rules for
an APV action plan) finds nothing missing: rows that name the problem, the solution, who is
responsible and by when, a follow-up date that has not passed, and a view link open to all.
`simple_missing` is the rule the overview used before that check existed (every row has
problem, solution, tovholder and deadline); it is kept for anyone who wants the lighter rule
back: point `missing` at it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..plans import apv

if TYPE_CHECKING:
    from ..plans.models import ActionPlan

# What every row must say, and the Danish word for it when it does not (the simple rule).
REQUIRED = (
    ("theme", "problem"),
    ("activity", "løsning"),
    ("tovholder", "tovholder"),
    ("deadline", "deadline"),
)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def simple_missing(plan: ActionPlan, on: date | None = None) -> list[str]:
    """Every row has problem, solution, tovholder and deadline; [] when it has."""
    if not plan.items:
        return ["Planen har ingen rækker endnu."]
    out = []
    for number, item in enumerate(plan.items, start=1):
        lacking = [word for field, word in REQUIRED if not getattr(item, field)]
        if lacking:
            out.append(f"Række {number} mangler {_and(lacking)}.")
    return out


def missing(plan: ActionPlan, on: date | None = None) -> list[str]:
    """What the plan lacks on day `on`, in Danish; [] when it is complete."""
    return apv.missing(plan, on)


def is_complete(plan: ActionPlan, on: date | None = None) -> bool:
    return not missing(plan, on)

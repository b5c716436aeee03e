"""Rows from earlier steps: each kind's results() may offer "plan_candidates".

The convention is written in facilitator/kinds.py (ExerciseKind.results).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from facilitator.kinds import kind_of
from facilitator.reading import step_view

if TYPE_CHECKING:
    from facilitator.models import Step, Workshop

log = logging.getLogger(__name__)
PER_STEP = 12
THEME_MAX = 300
ACTIVITY_MAX = 500


def _clean(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit] if isinstance(value, str | int) else ""


def normalise(result: Any, step: Step, group_id: int | None) -> list[dict[str, Any]]:
    """Clean, filter to the group, sort by weight, drop duplicates: at most PER_STEP rows."""
    if not isinstance(result, dict):
        return []
    offered = result.get("plan_candidates")
    rows, seen = [], set()
    for raw in offered if isinstance(offered, list) else []:
        if not isinstance(raw, dict):
            continue
        theme = _clean(raw.get("theme"), THEME_MAX)
        owner = raw.get("group_id")
        if not theme or theme.casefold() in seen:
            continue
        if owner not in (None, "") and group_id is not None and str(owner) != str(group_id):
            continue
        weight = raw.get("weight")
        seen.add(theme.casefold())
        rows.append(
            {
                "theme": theme,
                "activity": _clean(raw.get("activity"), ACTIVITY_MAX),
                "source": _clean(raw.get("source"), 80) or step.title[:80],
                "weight": weight if isinstance(weight, int | float) else 0,
            }
        )
    rows.sort(key=lambda r: -r["weight"])
    return rows[:PER_STEP]


def candidates(workshop: Workshop, step: Step, group_id: int | None) -> list[dict[str, Any]]:
    """Per earlier step (program order): {"step": title, "rows": [...]}, empty steps left out."""
    out = []
    for earlier in workshop.steps:
        if earlier.position >= step.position or earlier.kind == step.kind:
            continue
        try:
            result = kind_of(earlier).results(step_view(workshop, earlier))
        except Exception:  # one broken earlier step must not take the plan down with it
            log.exception("results() of step %s failed", earlier.id)
            continue
        rows = normalise(result, earlier, group_id)
        if rows:
            out.append({"step": earlier.title, "rows": rows})
    return out

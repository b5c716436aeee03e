"""The rules of a plan that need no database: the clock, the statuspil, overdue, dates.

Dates are Danish (Europe/Copenhagen). `today()` is the one place the plan pages read the
date from: set FACILITATOR_TODAY=YYYY-MM-DD to move the clock (browser tests, demos); it is
read only when set, and `now()` then shifts by the same number of days so history agrees.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..models import utcnow
from ..timefmt import COPENHAGEN

if TYPE_CHECKING:
    from .models import ActionItem, ActionPlan

DEFAULT_STAGES = ["Ikke startet", "I gang", "Næsten", "Gennemført", "Effekt evalueret"]
PRIORITIES = {1: "Høj", 2: "Mellem", 3: "Lav"}
# The answers to "Har det virket?" when a row reaches the evaluation stage.
EFFECTS = {"ja": "Ja", "delvist": "Delvist", "nej": "Nej"}
UPCOMING_DAYS = 14


class PlanError(ValueError):
    """A plan action was refused; the message is Danish and shown beside the form."""


# ---- clock ---------------------------------------------------------------------------------


def today() -> date:
    """Today in Copenhagen, or FACILITATOR_TODAY (YYYY-MM-DD) when set."""
    override = os.environ.get("FACILITATOR_TODAY", "").strip()
    if override:
        return date.fromisoformat(override)
    return utcnow().astimezone(COPENHAGEN).date()


def now() -> datetime:
    """The moment to stamp history with: real UTC now, shifted like today() when overridden."""
    real = utcnow()
    shift = today() - real.astimezone(COPENHAGEN).date()
    return real + shift


# ---- stages --------------------------------------------------------------------------------


def parse_stages(raw: str | list[str] | None) -> list[str]:
    """A plan's statuspil: 2 to 8 distinct stage names, one per line."""
    if raw is None or raw == "" or raw == []:
        return list(DEFAULT_STAGES)
    items = raw.splitlines() if isinstance(raw, str) else list(raw)
    if not all(isinstance(s, str) for s in items):
        raise PlanError("«Trin på statuspilen» skal være tekster.")
    stages = [" ".join(s.split()) for s in items if s.strip()]
    if not 2 <= len(stages) <= 8:
        raise PlanError("Statuspilen skal have mellem 2 og 8 trin, ét pr. linje.")
    if any(len(s) > 40 for s in stages):
        raise PlanError("Et trin på statuspilen må højst have 40 tegn.")
    if len({s.casefold() for s in stages}) != len(stages):
        raise PlanError("To trin på statuspilen har samme navn.")
    return stages


def done_stage(stages: list[str]) -> int:
    """The first stage that counts as carried out.

    With three or more stages the last one is the evaluation ("effekt evalueret") and the one
    before it is "gennemført": done and effect evaluated are kept apart.
    """
    return len(stages) - 2 if len(stages) >= 3 else len(stages) - 1


def evaluation_stage(stages: list[str]) -> int | None:
    """The stage that records whether it helped ("Effekt evalueret"); None with two stages."""
    return len(stages) - 1 if len(stages) >= 3 else None


def is_done(item: ActionItem, plan: ActionPlan) -> bool:
    return item.stage >= done_stage(plan.stages)


def is_overdue(item: ActionItem, plan: ActionPlan, on: date) -> bool:
    """Past its deadline (the deadline day itself still counts) and not yet carried out."""
    return item.deadline is not None and item.deadline < on and not is_done(item, plan)


def days_left(item: ActionItem, on: date) -> int | None:
    return (item.deadline - on).days if item.deadline else None


def due_text(item: ActionItem, plan: ActionPlan, on: date) -> str:
    """Danish words for how the deadline stands: "3 dage over fristen", "i morgen" ..."""
    left = days_left(item, on)
    if left is None or is_done(item, plan):
        return ""
    if left < 0:
        return "1 dag over fristen" if left == -1 else f"{-left} dage over fristen"
    return in_days(left)


def in_days(left: int) -> str:
    """Danish words for a day ahead: "i dag", "i morgen", "om 3 dage"."""
    return {0: "i dag", 1: "i morgen"}.get(left, f"om {left} dage")


def sections(plan: ActionPlan, on: date) -> dict[str, list[ActionItem]]:
    """The rows as a committee reads them: overdue first, then the next deadlines."""
    out: dict[str, list[ActionItem]] = {"overdue": [], "upcoming": [], "undated": [], "done": []}
    for item in plan.items:
        if is_done(item, plan):
            out["done"].append(item)
        elif is_overdue(item, plan, on):
            out["overdue"].append(item)
        elif item.deadline is not None:
            out["upcoming"].append(item)
        else:
            out["undated"].append(item)
    for key in ("overdue", "upcoming"):
        out[key].sort(key=lambda i: (i.deadline, i.priority, i.position))
    out["undated"].sort(key=lambda i: (i.priority, i.position))
    return out


def summary(plan: ActionPlan, on: date) -> dict[str, Any]:
    counts = [0] * len(plan.stages)
    for item in plan.items:
        counts[min(item.stage, len(counts) - 1)] += 1
    open_deadlines = [i.deadline for i in plan.items if i.deadline and not is_done(i, plan)]
    top = evaluation_stage(plan.stages)
    evaluated = [getattr(i, "effect", None) for i in plan.items if i.stage == top]
    return {
        "rows": len(plan.items),
        "by_stage": list(zip(plan.stages, counts, strict=True)),
        "overdue": sum(is_overdue(i, plan, on) for i in plan.items),
        "soon": sum(on <= d <= on + timedelta(days=UPCOMING_DAYS) for d in open_deadlines),
        "next_deadline": min((d for d in open_deadlines if d >= on), default=None),
        # "Har det virket?" over the evaluated rows: {"ja": 2, "delvist": 1, "nej": 0}
        "effects": {key: evaluated.count(key) for key in EFFECTS},
    }


EMAIL = re.compile(r"[^@\s\x00-\x1f<>,;\"]+@[^@\s\x00-\x1f<>,;\"]+\.[^@\s\x00-\x1f<>,;\"]+")


def parse_email(raw: str | None) -> str | None:
    """A contact's e-mail address for reminders, or None when the field is empty."""
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) > 254 or not EMAIL.fullmatch(value):
        raise PlanError("«Kontaktperson (e-mail)» skal være én e-mailadresse, fx med@kommune.dk.")
    return value


def parse_date(raw: str | None, label: str = "Deadline") -> date | None:
    """ISO from a date field, or Danish 30-06-2026, 30.6.2026 or 30/6/2026 typed by hand."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            value = date.fromisoformat(raw)
        elif m := re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", raw):
            value = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        else:
            raise ValueError(raw)
    except ValueError:
        raise PlanError(f"«{label}» skal være en dato, fx 30-06-2026.") from None
    if not 2000 <= value.year <= 2100:
        raise PlanError(f"«{label}» skal ligge mellem år 2000 og 2100.")
    return value

"""The round's status per place and rolled up per level: plain functions, no database.

`plan_facts` reduces a plan to what the overview needs; `rollup` puts the facts on the tree
and adds them up from the arbejdspladser to the kommune; `by_level` sums each level.

The rules:
- A place without places under it (an arbejdsplads, an udvalg) is expected to have a plan.
  Its status is «missing» without one, «complete» when every plan it has is complete (see
  completeness.py), otherwise «started». Places above it may have plans of their own
  (AfdelingsMED's); those count in the rows, not in missing/started/complete.
- A row's status is one of four buckets, so plans with their own statuspil add up: not
  started (the first stage), in progress, done (the plan's done stage) and effect evaluated
  (the last stage, when the statuspil has three or more).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..plans.rules import done_stage, is_overdue
from . import completeness
from .tree import PlaceLike, Tree

MISSING, STARTED, COMPLETE = "missing", "started", "complete"
STATUS_LABELS = {MISSING: "Mangler plan", STARTED: "Plan i gang", COMPLETE: "Plan færdig"}
BUCKETS = ("not_started", "in_progress", "done", "evaluated")
BUCKET_LABELS = {
    "not_started": "Ikke startet",
    "in_progress": "I gang",
    "done": "Gennemført",
    "evaluated": "Effekt evalueret",
}


def bucket(stage: int, stages: list[str]) -> str:
    n = len(stages)
    stage = max(0, min(stage, n - 1))
    if stage >= done_stage(stages):
        return "evaluated" if n >= 3 and stage == n - 1 else "done"
    return "not_started" if stage == 0 else "in_progress"


@dataclass(frozen=True)
class PlanFacts:
    """What the overview shows of one plan; no names of people, nothing from the workshop."""

    id: int
    title: str
    group_name: str
    rows: int
    complete: bool
    buckets: tuple[int, int, int, int]
    overdue: int
    last_followup: date | None = None
    next_followup: date | None = None
    missing: tuple[str, ...] = ()


def plan_facts(plan: Any, on: date) -> PlanFacts:
    """The facts of a plan (an ActionPlan with its items) on a given day."""
    counts = dict.fromkeys(BUCKETS, 0)
    for item in plan.items:
        counts[bucket(item.stage, plan.stages)] += 1
    lacking = completeness.missing(plan, on)
    return PlanFacts(
        id=plan.id,
        title=plan.title,
        group_name=plan.group_name,
        rows=len(plan.items),
        complete=not lacking,
        buckets=tuple(counts[b] for b in BUCKETS),
        overdue=sum(is_overdue(item, plan, on) for item in plan.items),
        last_followup=plan.last_followup,
        next_followup=plan.next_followup,
        missing=tuple(lacking),
    )


def plan_status(plans: Iterable[PlanFacts]) -> str:
    plans = list(plans)
    if not plans:
        return MISSING
    return COMPLETE if all(p.complete for p in plans) else STARTED


@dataclass
class Tally:
    """Sums over places: statuses of the expected places, their rows, overdue, meetings."""

    places: int = 0
    expected: int = 0
    missing: int = 0
    started: int = 0
    complete: int = 0
    plans: int = 0
    rows: int = 0
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    overdue: int = 0
    # Expected places where a follow-up meeting has been held on one of their plans.
    met: int = 0
    last_followup: date | None = None

    def add(self, other: Tally) -> None:
        for name in ("places", "expected", "missing", "started", "complete", "plans"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rows += other.rows
        self.overdue += other.overdue
        self.met += other.met
        self.buckets = [a + b for a, b in zip(self.buckets, other.buckets, strict=True)]
        self.last_followup = _latest(self.last_followup, other.last_followup)

    def count(self, status: str) -> int:
        return getattr(self, status)

    @property
    def by_bucket(self) -> list[tuple[str, str, int]]:
        return [(b, BUCKET_LABELS[b], n) for b, n in zip(BUCKETS, self.buckets, strict=True)]

    @property
    def by_status(self) -> list[tuple[str, str, int]]:
        return [(s, STATUS_LABELS[s], getattr(self, s)) for s in (MISSING, STARTED, COMPLETE)]


def _latest(a: date | None, b: date | None) -> date | None:
    return max((d for d in (a, b) if d is not None), default=None)


@dataclass
class Node:
    """One place in the overview: its own plans and status, and the sums of its subtree."""

    place: PlaceLike
    depth: int
    plans: list[PlanFacts]
    children: list[Node]
    expected: bool
    # The place's own status: MISSING/STARTED/COMPLETE when expected, or when it has plans.
    status: str | None
    own: Tally
    total: Tally

    @property
    def id(self) -> int:
        return self.place.id

    @property
    def last_followup(self) -> date | None:
        return max((p.last_followup for p in self.plans if p.last_followup), default=None)

    def walk(self):  # noqa: ANN201
        yield self
        for child in self.children:
            yield from child.walk()


def _own_tally(plans: list[PlanFacts], expected: bool, status: str | None) -> Tally:
    tally = Tally(places=1, plans=len(plans))
    for plan in plans:
        tally.rows += plan.rows
        tally.overdue += plan.overdue
        tally.buckets = [a + b for a, b in zip(tally.buckets, plan.buckets, strict=True)]
        tally.last_followup = _latest(tally.last_followup, plan.last_followup)
    if expected and status is not None:
        tally.expected = 1
        setattr(tally, status, 1)
        tally.met = int(tally.last_followup is not None)
    return tally


def rollup(
    places: Iterable[PlaceLike] | Tree,
    plans_by_place: Mapping[int, list[PlanFacts]],
    root_id: int,
) -> Node | None:
    """The overview of the subtree under root_id; None if there is no such place."""
    tree = places if isinstance(places, Tree) else Tree(places)
    if root_id not in tree.by_id:
        return None

    def build(place: PlaceLike, depth: int) -> Node:
        children = [build(kid, depth + 1) for kid in tree.kids(place.id)]
        plans = list(plans_by_place.get(place.id, []))
        expected = not children
        status = plan_status(plans) if (expected or plans) else None
        own = _own_tally(plans, expected, status)
        total = Tally()
        total.add(own)
        for child in children:
            total.add(child.total)
        return Node(place, depth, plans, children, expected, status, own, total)

    return build(tree.by_id[root_id], 0)


@dataclass
class LevelRow:
    depth: int
    level: str
    tally: Tally


def by_level(root: Node) -> list[LevelRow]:
    """Each level of the subtree (by depth and level name) with the sum of its places' own
    plans: «Arbejdsplads: 40 steder, 12 mangler plan, 20 i gang, 8 færdige»."""
    rows: dict[tuple[int, str], LevelRow] = {}
    for node in root.walk():
        key = (node.depth, node.place.level)
        row = rows.setdefault(key, LevelRow(node.depth, node.place.level, Tally()))
        row.tally.add(node.own)
    return [rows[k] for k in sorted(rows)]

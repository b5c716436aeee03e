"""The registry of exercise kinds: add a kind's package here, and nowhere else."""

from __future__ import annotations

from pathlib import Path

from facilitator.kinds import ExerciseKind

from .action_plan import ActionPlanKind
from .agenda import Agenda
from .annual_wheel import AnnualWheel
from .case import Case
from .goal_followup import GoalFollowup
from .ideas import Ideas
from .info import Info
from .interview import Interview
from .questions import Questions
from .reflection import Reflection
from .round_robin import RoundRobin
from .scale import Scale
from .talking_chips import TalkingChips
from .tip13 import Tip13

KINDS: dict[str, ExerciseKind] = {
    kind.name: kind
    for kind in (
        Info(),
        Scale(),
        ActionPlanKind(),
        Tip13(),
        RoundRobin(),
        TalkingChips(),
        Interview(),
        GoalFollowup(),
        Reflection(),
        Ideas(),
        Questions(),
        Case(),
        Agenda(),
        AnnualWheel(),
    )
}


def template_dirs() -> list[Path]:
    """Each kind's own templates folder, for the Jinja loader."""
    return [Path(__file__).parent / name / "templates" for name in KINDS]


def stylesheets() -> list[Path]:
    """Each kind's own style.css (those that have one), in registry order."""
    found = [Path(__file__).parent / name / "style.css" for name in KINDS]
    return [path for path in found if path.is_file()]

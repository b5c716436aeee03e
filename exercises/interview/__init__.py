"""To-trins interview (Kagan: Timed Pair Share): pairs interview each other on time, then a goal."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from facilitator import timers
from facilitator.kinds import (
    ExerciseKind,
    ExportRow,
    Rejected,
    Screen,
    StepView,
    Submission,
)
from facilitator.validation import as_int

from . import logic, screens
from .content import GOAL_PROMPT, InterviewContent
from .logic import Group, Round
from .pairing import GROUPS, RANDOM, make_pairs

__all__ = ["GOAL_PROMPT", "Interview", "InterviewContent"]

GOAL_MAX = 1000


class Interview(ExerciseKind[InterviewContent]):
    name = "interview"
    title = "To-trins interview"
    description = (
        "To og to interviewer hinanden på tid og bytter roller af sig selv. Bagefter kan "
        "hver præsentere sin makkers svar for bordet og skrive sit personlige mål, som kun "
        "de selv ser."
    )
    main_field = "question"
    example = {
        "question": "Dit personlige mål: hvad vil du gerne lære, og hvad vil du kunne gøre bedre?",
        "prompts": [
            "Hvorfor har du valgt netop det mål?",
            "Fortæl mere om ...",
            "Hvad kan du selv gøre undervejs for at nå målet?",
        ],
        "think_seconds": 30,
        "seconds": 120,
        "pairing": "random",
        "goal_prompt": GOAL_PROMPT,
    }
    Content = InterviewContent

    def initial_state(self, content: InterviewContent) -> dict[str, Any]:
        return {"phase": "ready", "run": 0}

    # ---- the derived round -------------------------------------------------------------

    def round(self, view: StepView) -> Round:
        return view.derived("interview", lambda: self._compute(view, view.state))

    def _compute(self, view: StepView, state: Mapping[str, Any]) -> Round:
        if state.get("phase") not in {"paired", "running"}:
            return Round([], [], None)
        groups = [Group(tuple(m)) for m in state.get("groups", [])]
        placed = {pid for g in groups for pid in g.members}
        late = [p for p in view.participants if p.id not in placed]
        if state["phase"] == "paired":
            for p in late:
                logic.add_late(groups, p.id, 0, logic.total_turns(groups))
            return Round(groups, [], None)
        # Joins and the instructor's moves, in the order they happened (wall time).
        events: list[tuple[datetime, int, int, int | None]] = [
            (p.joined_at, 0, p.id, None) for p in late
        ]
        events += [
            (datetime.fromisoformat(at), 1, pid, to) for pid, to, at in state.get("moves", [])
        ]
        outside: list[int] = []
        for at, _order, pid, to in sorted(events, key=lambda e: (e[0], e[1])):
            turn = logic.turn_at(state, groups, timers.active_ms(state, at))
            if to is None and turn >= logic.total_turns(groups):
                outside.append(pid)
            elif to is None:
                logic.add_late(groups, pid, turn, logic.total_turns(groups))
            elif logic.move(groups, pid, to, turn) is None and pid in outside:
                outside.remove(pid)
        now_a = timers.active_ms(state, view.now)
        return Round(groups, outside, logic.position(state, logic.total_turns(groups), now_a))

    # ---- instructor actions ------------------------------------------------------------

    def _pairs(self, view: StepView, data: Mapping[str, Any]) -> dict[str, Any]:
        seed = as_int(data.get("seed"), 0)
        seed = secrets.randbelow(2**31) if seed is None else seed
        mode = view.content.pairing
        if mode == GROUPS and not view.groups:
            mode = RANDOM
        keyed = [
            (p.id, p.group_id if mode == GROUPS else (p.role or "").strip().lower())
            for p in view.participants
        ]
        if not keyed:
            raise Rejected("Der er ingen deltagere endnu. Vent, til nogen er kommet med.")
        state = view.state
        return {"phase": "paired", "run": int(state.get("run", 0)), "seed": seed,
                "groups": make_pairs(keyed, mode, seed)}  # fmt: skip

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state, now, content = view.state, view.now, view.content
        phase = state.get("phase", "ready")
        if action == "reset":
            return {"phase": "ready", "run": int(state.get("run", 0)) + 1}
        if action == "pair":
            if phase == "running":
                raise Rejected("Interviewet er i gang. Start forfra for at danne nye par.")
            return self._pairs(view, data)
        if action == "swap" and phase == "running":
            raise Rejected("Folk kan kun bytte plads, før interviewet starter.")
        if action in {"swap", "move"} and phase == "paired":
            groups = [list(g.members) for g in self.round(view).groups]
            if action == "move":
                return {**state, "groups": self._moved(groups, data, 0)}
            a, b = _pid(data, "a"), _pid(data, "b")
            seated = {pid for g in groups for pid in g}
            if a == b or a not in seated or b not in seated:
                raise Rejected("Vælg to forskellige personer at bytte.")
            return {**state, "groups": logic.swap(groups, a, b)}
        if action == "start":
            if phase == "running":
                return dict(state)
            paired = self._pairs(view, data) if phase == "ready" else state
            # The groups with the late joiners placed, as the phones saw them.
            groups = [list(g.members) for g in self._compute(view, paired).groups]
            return {
                "phase": "running",
                "run": int(state.get("run", 0)),
                "seed": paired.get("seed"),
                "groups": groups,
                "started": now.isoformat(),
                "think_ms": content.think_seconds * 1000,
                "turn_ms": content.seconds * 1000,
                "present_ms": content.present_seconds * 1000 if content.present else 0,
                "pauses": [],
                "extra": {},
                "skips": {},
                "moves": [],
            }
        if phase != "running":
            raise Rejected("Dan par og start interviewet først.")
        rnd = self.round(view)
        pos = rnd.pos
        assert pos is not None
        if action == "pause":
            return state if pos.kind == logic.GOAL else timers.pause_clock(state, now)
        if action == "resume":
            return timers.resume_clock(state, now)
        if action in {"more", "skip"}:
            if pos.kind == logic.GOAL or str(data.get("index", pos.index)) != str(pos.index):
                return dict(state)  # a double click: that phase has already ended
            key = str(pos.index)
            if action == "skip":
                return {
                    **state,
                    "skips": {**state.get("skips", {}), key: pos.ends_at - pos.left_ms},
                }
            extra = state.get("extra", {})
            return {**state, "extra": {**extra, key: int(extra.get(key, 0)) + 30_000}}
        if action == "move":
            turn = logic.turn_at(state, rnd.groups, timers.active_ms(state, now))
            if turn >= logic.total_turns(rnd.groups):
                raise Rejected("Interviewene er slut. Der er ikke flere ture at være med i.")
            self._moved([*rnd.groups], data, turn)  # refuses what cannot be done
            move = [_pid(data, "pid"), _pid(data, "with"), now.isoformat()]
            return {**state, "moves": [*state.get("moves", []), move]}
        raise Rejected("Ukendt handling.")

    @staticmethod
    def _moved(groups: list, data: Mapping[str, Any], turn: int) -> list[list[int]]:
        as_groups = [g if isinstance(g, Group) else Group(tuple(g)) for g in groups]
        error = logic.move(as_groups, _pid(data, "pid"), _pid(data, "with"), turn)
        if error:
            raise Rejected(error)
        return [list(g.members) for g in as_groups]

    # ---- participants ------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        if data.get("what") != "goal":
            raise Rejected("Ukendt svar.")
        if not view.content.goal:
            raise Rejected("I denne øvelse skal der ikke skrives et mål.")
        goal = str(data.get("text", "")).strip()
        if not goal:
            raise Rejected("Skriv dit mål først.")
        if len(goal) > GOAL_MAX:
            raise Rejected(f"Målet er for langt. Brug højst {GOAL_MAX} tegn.")
        return Submission(slot="goal", payload={"text": goal})

    # ---- screens -----------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        return screens.context(screen, view, self.round(view))

    def export_rows(self, view: StepView) -> list[ExportRow]:
        found = self.results(view)
        rows = [ExportRow("Par", " og ".join(p["members"])) for p in found["pairs"]]
        return rows + [
            ExportRow("Personlige mål skrevet (teksterne er private)", str(found["goals"]))
        ]

    def results(self, view: StepView) -> dict[str, Any]:
        return screens.results(view, self.round(view))


def _pid(data: Mapping[str, Any], key: str) -> int:
    value = as_int(data.get(key), 0)
    if value is None:
        raise Rejected("Vælg en person.")
    return value

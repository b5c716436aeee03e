"""Talechips (Kagan: Talking Chips): spend a chip to speak, so the talk is shared fairly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from facilitator import timers
from facilitator.kinds import (
    ExerciseKind,
    ExportRow,
    Rejected,
    Screen,
    StepView,
    Submission,
    bool_field,
    int_field,
    owner_id,
    text_field,
)

from . import logic, screens
from .logic import CHIP, QUESTION, GroupChips, Item


@dataclass(frozen=True)
class ChipsContent:
    question: str = text_field("Spørgsmål", required=True, max_len=300)
    chips: int = int_field("Chips pr. person", default=2, low=1, high=3, help="1 til 3.")
    minutes: int = int_field("Minutter", default=10, low=0, high=120, help="0: ingen tidsgrænse.")
    # With no chips left, one short question per round.
    questions: bool = bool_field("Uden chips kan man stille ét kort spørgsmål pr. runde")
    # Nobody places a second chip before all have placed one.
    everyone_first: bool = bool_field("Alle bruger én chip, før nogen bruger to")
    # Per-person chips on the projector (the instructor can switch).
    show_counts: bool = bool_field("Vis hver persons chips på projektoren")
    plenum: bool = bool_field("I plenum: én runde for hele salen")


class TalkingChips(ExerciseKind[ChipsContent]):
    """Chips come back when all are spent, or (table of 3+) when only one quiet person holds any.

    A real table asks the quiet one once and goes on; waiting for them would stall everyone.
    Details in logic.py.
    """

    name = "talking_chips"
    title = "Talechips"
    description = "Hver deltager har et par chips. Man bruger en chip for at tage ordet."
    main_field = "question"
    example = {
        "question": "Hvordan sikrer vi, at alle bliver hørt på vores MED-møder?",
        "chips": 2,
        "minutes": 10,
    }
    Content = ChipsContent

    def initial_state(self, content: ChipsContent) -> dict[str, Any]:
        return {
            "phase": "ready",
            "show_counts": content.show_counts,
            "questions": content.questions,
        }

    # ---- instructor actions ------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state, now, content = view.state, view.now, view.content
        timer = state.get("timer")
        if action == "start":
            if state.get("phase") == "running":
                return dict(state)
            clock = timers.start(content.minutes * 60, now) if content.minutes else None
            return {**state, "phase": "running", "started": now.isoformat(), "timer": clock}
        if action == "toggle_counts":
            return {**state, "show_counts": not state.get("show_counts")}
        if action == "toggle_questions":
            return {**state, "questions": not state.get("questions")}
        if state.get("phase") != "running":
            raise Rejected("Start samtalen først.")
        if action in {"pause", "resume", "more"}:
            if not timer:
                return dict(state)
            change = {
                "pause": lambda: timers.pause(timer, now),
                "resume": lambda: timers.resume(timer, now),
                "more": lambda: timers.add(timer, 60, now),
            }[action]
            reopen = {"stopped": None} if action == "more" else {}
            return {**state, "timer": change(), **reopen}
        if action == "stop":
            return {**state, "stopped": now.isoformat()}
        if action == "reopen":
            return {**state, "stopped": None}
        if action == "next":
            key = str(data.get("group", ""))
            group = self.groups(view).get(key)
            if group is None:
                raise Rejected("Gruppen findes ikke.")
            if group.current is None or str(group.current.id) != str(data.get("item", "")):
                return dict(state)  # a double click: that speaker is already done
            return {**state, "served": {**(state.get("served") or {}), key: group.current.id}}
        if action == "refill":
            key = str(data.get("group", "all"))
            groups = self.groups(view)
            keys = list(groups) if key == "all" else [key]
            if not all(k in groups for k in keys):
                raise Rejected("Gruppen findes ikke.")
            rounds = dict(state.get("round") or {})
            for k in keys:
                rounds[k] = groups[k].round + 1
            return {**state, "round": rounds}
        raise Rejected("Ukendt handling.")

    # ---- the derived queues ------------------------------------------------------------

    def groups(self, view: StepView) -> dict[str, GroupChips]:
        return view.derived("talking_chips", lambda: self._compute_groups(view))

    def _compute_groups(self, view: StepView) -> dict[str, GroupChips]:
        lists = view.tables(view.content.plenum)
        where = {p.id: key for key, _name, members in lists for p in members}
        items: dict[str, list[Item]] = {key: [] for key, _n, _m in lists}
        done: set[int] = set()
        for r in view.responses:
            pid = owner_id(r)
            if r.slot.startswith("done:") and r.slot[5:].isdigit():
                done.add(int(r.slot[5:]))
                continue
            parsed = logic.parse_slot(r.slot)
            if parsed is None or pid not in where:
                continue
            items[where[pid]].append(Item(r.id, pid, parsed[0], parsed[1]))
        chips = view.content.chips
        return {
            key: logic.compute(view.state, key, [p.id for p in m], items[key], done, chips)
            for key, _name, m in lists
        }

    def ended(self, view: StepView) -> bool:
        timer = view.state.get("timer")
        return bool(view.state.get("stopped")) or timers.expired(timer, view.now)

    def _shown(self, screen: Screen, view: StepView) -> dict[str, GroupChips]:
        """Every group on the projector and controls; a phone needs only its own."""
        if screen != "phone":
            return self.groups(view)
        mine = self._mine(view)
        return {mine.key: mine} if mine else {}

    def _mine(self, view: StepView) -> GroupChips | None:
        me = view.participant
        return next((g for g in self.groups(view).values() if me and me.id in g.members), None)

    # ---- participants ------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        state, me = view.state, view.participant
        what = str(data.get("what", ""))
        group = self._mine(view)
        if group is None or me is None:
            raise Rejected("Du er ikke med i en gruppe i denne øvelse.")
        audience = "all" if group.key == "all" else "group"
        own = {r.slot: r for r in view.own()}
        # A double tap or a retry names the chip it saw: the same slot, nothing spent twice.
        seen = f"chip:{data.get('r', '')}:{data.get('n', '')}" if what == CHIP else ""
        seen = f"done:{data.get('item', '')}" if what == "done" else seen
        seen = f"q:{data.get('r', '')}" if what == QUESTION else seen
        if seen in own:
            return Submission(slot=seen, payload=dict(own[seen].payload), audience=audience)
        if state.get("phase") != "running":
            raise Rejected("Samtalen er ikke startet endnu.")
        if self.ended(view):
            raise Rejected("Tiden er gået. Samtalen er slut.")
        if what == "done":
            current = group.current
            if current is None or current.pid != me.id or str(current.id) != str(data.get("item")):
                raise Rejected("Du har ikke ordet lige nu.")
            return Submission(
                slot=f"done:{current.id}", payload={"what": "done"}, audience=audience
            )
        if what not in {CHIP, QUESTION}:
            raise Rejected("Ukendt svar.")
        if group.place(me.id) is not None:
            raise Rejected("Du står allerede i køen.")
        if what == QUESTION:
            if not state.get("questions"):
                raise Rejected("Der er ikke åbnet for korte spørgsmål.")
            if group.left(me.id):
                raise Rejected("Du har stadig chips. Brug en chip for at tage ordet.")
            if me.id in group.asked:
                raise Rejected("Du har stillet dit spørgsmål. Vent, til alle har fået chips igen.")
            return Submission(
                slot=f"q:{group.round}", payload={"what": QUESTION}, audience=audience
            )
        if not group.left(me.id):
            raise Rejected("Du har ikke flere chips. Vent, til alle har brugt deres.")
        if view.content.everyone_first and group.waiting_for_first(me.id):
            raise Rejected("Vent: alle i gruppen skal have lagt deres første chip før den næste.")
        n = group.spent.get(me.id, 0) + 1
        return Submission(slot=f"chip:{group.round}:{n}", payload={"what": CHIP}, audience=audience)

    # ---- screens -----------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        state = view.state
        running = state.get("phase") == "running"
        ctx: dict[str, Any] = {
            "content": view.content,
            "talk_phase": ("ended" if self.ended(view) else "running") if running else "ready",
            "show_counts": bool(state.get("show_counts")),
            "questions_open": bool(state.get("questions")),
            "timer": timers.show(state.get("timer"), view.now) if state.get("timer") else None,
            "paused": timers.paused(state.get("timer")),
            "cards": screens.cards(view, self._shown(screen, view)) if running else [],
        }
        if screen == "phone":
            ctx.update(screens.phone(view, ctx, self._mine(view)))
        return ctx

    def export_rows(self, view: StepView) -> list[ExportRow]:
        found = self.results(view)
        return [
            ExportRow(
                found["question"], f"{name}: {turns} {'tur' if turns == 1 else 'ture'}", g["group"]
            )
            for g in found["groups"]
            for name, turns in g["turns"].items()
        ]

    def results(self, view: StepView) -> dict[str, Any]:
        if view.state.get("phase") != "running":
            return {"question": view.content.question, "groups": []}
        return {
            "question": view.content.question,
            "groups": [
                {
                    "group": c["name"],
                    "turns": {p["name"]: p["turns"] for p in c["people"]},
                    "placed": {p["name"]: p["placed"] for p in c["people"]},
                    "refills": c["refills"],
                    "spread": {k: v for k, v in c["spread"].items() if k != "bars"},
                }
                for c in screens.cards(view, self.groups(view))
            ],
        }

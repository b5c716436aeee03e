"""Ordet rundt på tid (Kagan: Timed RoundRobin): everyone speaks in turn, for a fixed time."""

from __future__ import annotations

import secrets
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
    choice_field,
    int_field,
    owner_id,
    text_field,
)
from facilitator.validation import as_int

from . import arrange, logic, screens
from .logic import DONE, PASS

KEYWORD_MAX = 60
# Other words for the orders, as instructors have written them in program files.
ORDER_ALIASES = (("seating", "join"), ("tilmelding", "join"), ("bord", "join"))
ORDER_ALIASES += (("tilfaeldig", "random"),)


@dataclass(frozen=True)
class RoundRobinContent:
    question: str = text_field("Spørgsmål", required=True, max_len=300)
    think_seconds: int = int_field(
        "Tænketid", default=30, low=0, high=600, help="Sekunder at tænke i, før runden starter."
    )
    seconds: int = int_field("Sekunder pr. person", default=60, low=10, high=600)
    # "join": the order people joined the table in.
    order: str = choice_field(
        "Rækkefølge",
        (("join", "Tilmeldingsrækkefølge"), ("random", "Tilfældig")),
        default="join",
        aliases=ORDER_ALIASES,
    )
    allow_pass: bool = bool_field("Man må sige pas", default=True)
    # Off by default: Timed RoundRobin means talking for the full time.
    may_finish: bool = bool_field("Den, der taler, kan afslutte sin tur før tid")
    keyword: bool = bool_field("Hver skriver et nøgleord til sidst")
    plenum: bool = bool_field("I plenum: én runde for hele salen")


class RoundRobin(ExerciseKind[RoundRobinContent]):
    name = "round_robin"
    title = "Ordet rundt på tid"
    description = (
        "Alle siger noget på skift i en fast tid. Telefonen viser, hvornår det er din tur."
    )
    main_field = "question"
    example = {
        "question": "Hvad er det vigtigste, du tager med hjem fra i dag?",
        "think_seconds": 30,
        "seconds": 60,
        "order": "join",
        "allow_pass": True,
        "keyword": True,
    }
    Content = RoundRobinContent

    def initial_state(self, content: RoundRobinContent) -> dict[str, Any]:
        return {"phase": "ready", "run": 0}

    # ---- instructor actions ------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state, now, content = view.state, view.now, view.content
        if action == "start":
            if state.get("phase") == "running":
                return dict(state)
            seed = as_int(data.get("seed"), 0)
            seed = secrets.randbelow(2**31) if seed is None else seed
            wanted = state.get("arranged") or {}
            groups = [
                {
                    "key": key,
                    # A table the instructor arranged keeps that order, even when random.
                    "order": logic.arranged([p.id for p in m], wanted[key])
                    if key in wanted
                    else logic.make_order([p.id for p in m], content.order, seed, key),
                }
                for key, _name, m in view.tables(content.plenum)
            ]
            return {
                "phase": "running",
                "run": int(state.get("run", 0)),
                "seed": seed,
                "started": now.isoformat(),
                "think_ms": content.think_seconds * 1000,
                "turn_ms": content.seconds * 1000,
                "groups": groups,
                "pauses": [],
                "skips": {},
                "extra": {},
                **({"arranged": wanted} if wanted else {}),
            }
        if action == "reset":
            arranged = {"arranged": state["arranged"]} if state.get("arranged") else {}
            return {"phase": "ready", "run": int(state.get("run", 0)) + 1, **arranged}
        if action == "move":
            return arrange.move(view, data, self.rounds)
        if state.get("phase") != "running":
            raise Rejected("Start runden først.")
        if state.get("stopped"):
            if action in {"pause", "resume", "skip", "more", "begin", "stop"}:
                return dict(state)
            raise Rejected("Ukendt handling.")
        now_a = timers.active_ms(state, now)
        if action == "pause":
            return timers.pause_clock(state, now)
        if action == "resume":
            return timers.resume_clock(state, now)
        if action == "stop":
            return {**timers.resume_clock(state, now), "stopped": now.isoformat()}
        if action == "begin":
            if now_a < int(state.get("think_ms", 0)) and state.get("begun_ms") is None:
                return {**state, "begun_ms": now_a}
            return dict(state)
        if action in {"skip", "more"}:
            key, turn = str(data.get("group", "")), str(data.get("turn", ""))
            rounds = {g.key: g for g in self.rounds(view)}
            group = rounds.get(key)
            if group is None:
                raise Rejected("Gruppen findes ikke i denne runde.")
            if group.current is None or str(group.current) != turn:
                return dict(state)  # a double click: that turn has already ended
            if action == "skip":
                return logic.nested_set(state, "skips", key, group.current, now_a)
            given = int((state.get("extra") or {}).get(key, {}).get(turn, 0))
            return logic.nested_set(state, "extra", key, group.current, given + 30_000)
        raise Rejected("Ukendt handling.")

    # ---- the derived round -------------------------------------------------------------

    def orders(self, view: StepView) -> dict[str, list[int]]:
        """Each group's speaking order: fixed at the start, late joiners added at the end."""
        return view.derived("round_robin.orders", lambda: self._compute_orders(view))

    def _compute_orders(self, view: StepView) -> dict[str, list[int]]:
        state = view.state
        orders = {g["key"]: list(g["order"]) for g in state.get("groups", [])}
        placed = {pid for order in orders.values() for pid in order}
        late = [p for p in view.participants if p.id not in placed]
        if not late or state.get("phase") != "running":
            return orders
        table_of = {
            p.id: key for key, _name, members in view.tables(view.content.plenum) for p in members
        }
        stopped_at = timers.active_ms(state, view.now) if state.get("stopped") else None
        running = {k: v for k, v in state.items() if k != "stopped"}
        for p in sorted(late, key=lambda p: (p.joined_at, p.id)):
            key = table_of.get(p.id)
            if key not in orders:
                continue  # a table that had nobody at the start has no round to join
            joined = timers.active_ms(running, p.joined_at)
            if stopped_at is not None and joined >= stopped_at:
                continue
            # Someone who sits down while their table still talks gets the last turn; a table
            # that had finished before they came stays finished.
            events = self._events(view, orders).get(key, {})
            if logic.progress(running, key, orders[key], events, joined).phase != "finished":
                orders[key].append(p.id)
        return orders

    def events(self, view: StepView) -> dict[str, dict[int, tuple[int, str]]]:
        """The speakers' own "done"/"pass" per group and turn, on the active clock."""
        return self._events(view, self.orders(view))

    def _events(
        self, view: StepView, orders: Mapping[str, list[int]]
    ) -> dict[str, dict[int, tuple[int, str]]]:
        state = view.state
        prefix = f"turn:{state.get('run', 0)}:"
        where = {pid: (key, i) for key, order in orders.items() for i, pid in enumerate(order)}
        found: dict[str, dict[int, tuple[int, str]]] = {}
        for r in view.responses:
            if not r.slot.startswith(prefix) or not r.slot[len(prefix) :].isdigit():
                continue
            key, index = where.get(owner_id(r), (None, None))
            if key is not None and index == int(r.slot[len(prefix) :]):
                at = timers.active_ms(state, r.created_at)
                found.setdefault(key, {})[index] = (at, r.payload.get("what", DONE))
        return found

    def rounds(self, view: StepView) -> list[logic.GroupRound]:
        return view.derived("round_robin", lambda: self._compute_rounds(view))

    def _compute_rounds(self, view: StepView) -> list[logic.GroupRound]:
        state = view.state
        if state.get("phase") != "running":
            return []
        now_a = timers.active_ms(state, view.now)
        events = self.events(view)
        return [
            logic.progress(state, key, order, events.get(key, {}), now_a)
            for key, order in self.orders(view).items()
        ]

    def _shown(self, screen: Screen, view: StepView, rounds: list[logic.GroupRound]):
        """Every group on the projector and controls; a phone needs only its own."""
        if screen != "phone":
            return rounds
        group, _index = self._mine(view)
        return [group] if group else []

    def _mine(self, view: StepView) -> tuple[logic.GroupRound | None, int | None]:
        me = view.participant
        for group in self.rounds(view):
            for turn in group.turns:
                if me is not None and turn.pid == me.id:
                    return group, turn.index
        return None, None

    # ---- participants ------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        state, content = view.state, view.content
        what = str(data.get("what", ""))
        if state.get("phase") != "running":
            raise Rejected("Runden er ikke startet endnu.")
        group, mine = self._mine(view)
        if group is None or mine is None:
            raise Rejected("Du er ikke med i rækkefølgen i denne runde.")
        audience = "all" if group.key == "all" or content.plenum else "group"
        if what == "keyword":
            if not content.keyword:
                raise Rejected("Der skal ikke skrives nøgleord i denne runde.")
            word = " ".join(str(data.get("text", "")).split())
            if not word:
                raise Rejected("Skriv dit nøgleord først.")
            if len(word) > KEYWORD_MAX:
                raise Rejected(f"Nøgleordet er for langt. Brug højst {KEYWORD_MAX} tegn.")
            return Submission(slot="keyword", payload={"text": word}, audience=audience)
        if what not in {DONE, PASS}:
            raise Rejected("Ukendt svar.")
        slot = f"turn:{state.get('run', 0)}:{data.get('turn', '')}"
        for r in view.own():
            if r.slot == slot:  # a double tap: the turn already ended with the first tap
                return Submission(slot=slot, payload=dict(r.payload), audience=audience)
        if str(data.get("turn", "")) != str(mine) or group.current != mine:
            raise Rejected("Det er ikke din tur lige nu.")
        if timers.clock_paused(state):
            raise Rejected("Runden holder pause. Vent, til underviseren fortsætter.")
        if what == DONE and not content.may_finish:
            raise Rejected("I denne runde taler alle i den fulde tid.")
        if what == PASS and not content.allow_pass:
            raise Rejected("I denne runde siger alle noget. Du kan ikke stå over.")
        return Submission(slot=slot, payload={"what": what}, audience=audience)

    # ---- screens -----------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        state = view.state
        rounds = self.rounds(view)
        thinking = any(g.phase == "think" for g in rounds)
        finished = bool(rounds) and all(g.phase == "finished" for g in rounds)
        phase = "ready" if state.get("phase") != "running" else "running"
        phase = "think" if thinking else ("finished" if finished else phase)
        ctx: dict[str, Any] = {
            "content": view.content,
            "round_phase": phase,
            "paused": timers.clock_paused(state),
            "stopped": bool(state.get("stopped")),
            "groups": screens.group_cards(view, self._shown(screen, view, rounds)),
        }
        if thinking:
            first = next(g for g in rounds if g.phase == "think")
            ctx["think_timer"] = timers.show(logic.timer_for(state, first), view.now)
        if screen == "controls" and phase == "ready":
            ctx["ready_tables"] = screens.ready_tables(view, arrange.ready_orders(view))
        if screen == "phone":
            ctx.update(screens.phone(view, ctx, *self._mine(view)))
        return ctx

    def export_rows(self, view: StepView) -> list[ExportRow]:
        found = self.results(view)
        return [ExportRow(found["question"], k["text"], k["group"]) for k in found["keywords"]]

    def results(self, view: StepView) -> dict[str, Any]:
        cards = screens.group_cards(view, self.rounds(view))
        return screens.results(view.content.question, cards)

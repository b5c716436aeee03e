"""To-trins interview: what each screen shows, built from the derived round."""

from __future__ import annotations

from typing import Any

from facilitator import timers
from facilitator.kinds import Screen, StepView

from . import logic
from .content import TIME_MARK, InterviewContent
from .logic import GOAL, PRESENT, THINK, TURN, Round


def role_label(content: InterviewContent, role: str) -> str:
    """The phone's headline for a role, as the instructor has worded it."""
    if role == logic.INTERVIEWER:
        return content.interviewer_label
    return content.interviewee_label if role == logic.INTERVIEWEE else content.listener_label


PHASE_NAMES = {THINK: "Tænketid", PRESENT: "Trin 2: præsentation for bordet"}


def names_and(names: list[str]) -> str:
    """Names joined the Danish way: "Anna", "Anna og Bo", "Anna, Bo og Cem"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def seconds_text(seconds: int) -> str:
    """A turn's length in words: "2 minutter", "1 minut", "90 sekunder"."""
    if seconds % 60:
        return f"{seconds} sekunder"
    return "1 minut" if seconds == 60 else f"{seconds // 60} minutter"


def round_phase(view: StepView, rnd: Round) -> str:
    if rnd.pos is None:
        return "paired" if view.state.get("phase") == "paired" else "ready"
    return rnd.pos.kind


def group_cards(view: StepView, rnd: Round) -> list[dict[str, Any]]:
    """Each group with its members' names and, during a turn, who interviews whom."""
    names = {p.id: p.name for p in view.participants}
    turn = rnd.pos.turn if rnd.pos and rnd.pos.kind == TURN else None
    first_turn = 0 if rnd.pos is None or rnd.pos.kind == THINK else turn
    cards = []
    for i, g in enumerate(rnd.groups):
        pair = g.pair_at(turn) if turn is not None else None
        upcoming = g.pair_at(first_turn) if first_turn is not None else None
        over = rnd.pos is not None and rnd.pos.kind in {PRESENT, GOAL}
        done = over or (rnd.pos is not None and (turn or 0) >= g.offset + g.turns)
        cards.append(
            {
                "number": i + 1,
                "ids": list(g.members),
                "names": [names.get(pid, "?") for pid in g.members],
                "asker": names.get(pair[0], "?") if pair else None,
                "answerer": names.get(pair[1], "?") if pair else None,
                "starts": names.get(upcoming[0], "?") if upcoming else None,
                "alone": len(g.members) == 1,
                "done": done and g.turns > 0,
            }
        )
    return cards


def context(screen: Screen, view: StepView, rnd: Round) -> dict[str, Any]:
    state, pos = view.state, rnd.pos
    phase = round_phase(view, rnd)
    ctx: dict[str, Any] = {
        "content": view.content,
        "round_phase": phase,
        "paused": pos is not None and phase != GOAL and timers.clock_paused(state),
        "turn_no": (pos.turn or 0) + 1 if pos else 0,
        "turns": pos.turns if pos else 2,
        "phase_index": pos.index if pos else 0,
        "turn_length": seconds_text(view.content.seconds),
        "intro": view.content.intro.replace(TIME_MARK, seconds_text(view.content.seconds)),
        "timer": None,
    }
    if pos is not None and phase != GOAL:
        ctx["timer"] = timers.show(logic.timer_for(state, pos), view.now)
    if screen == "phone":
        ctx.update(phone(view, rnd, phase))
        return ctx
    cards = group_cards(view, rnd)
    ctx["cards"] = cards
    ctx["trios"] = sum(1 for c in cards if len(c["ids"]) == 3)
    if screen == "controls":
        names = {p.id: p.name for p in view.participants}
        ctx["seated"] = sorted(((pid, names.get(pid, "?")) for c in cards for pid in c["ids"]),
                               key=lambda x: x[1].lower())  # fmt: skip
        waiting = [c["ids"][0] for c in cards if c["alone"]] + list(rnd.outside)
        ctx["waiting"] = [(pid, names.get(pid, "?")) for pid in waiting]
        ctx["targets"] = [(c["ids"][0], names_and(c["names"])) for c in cards
                          if len(c["ids"]) < 4 and not c["done"]]  # fmt: skip
        ctx["goals"] = sum(1 for r in view.responses if r.slot == "goal")
        ctx["people"] = len(view.participants)
    return ctx


def phone(view: StepView, rnd: Round, phase: str) -> dict[str, Any]:
    """The viewing participant's status, role and partners; their own goal (theirs only)."""
    me = view.participant
    own = next((r.payload.get("text", "") for r in view.own() if r.slot == "goal"), None)
    out: dict[str, Any] = {"goal_text": own}
    group = next((g for g in rnd.groups if me is not None and me.id in g.members), None)
    names = {p.id: p.name for p in view.participants}
    if phase == "ready":
        return out | {"status": "ready", "signal": None}
    if group is None:
        return out | {"status": "outside", "signal": "outside"}
    others = [names.get(pid, "?") for pid in group.members if pid != me.id]
    out["partners"] = names_and(others) if others else None
    if len(group.members) == 1:
        return out | {"status": "waiting", "signal": "waiting"}
    first = group.pair_at(group.offset)
    out["starter"] = "Du" if first and first[0] == me.id else names.get(first[0], "?")
    out["first_answerer"] = "dig" if first and first[1] == me.id else names.get(first[1], "?")
    if phase in {"paired", THINK}:
        return out | {"status": phase, "signal": phase}
    if phase == PRESENT:
        return out | {"status": PRESENT, "signal": PRESENT}
    turn = rnd.pos.turn if rnd.pos and phase == TURN else None
    role = group.role(me.id, turn) if turn is not None else None
    if role is None:
        return out | {"status": "done", "signal": "done"}
    asker, answerer = group.pair_at(turn)
    out |= {"asker": names.get(asker, "?"), "answerer": names.get(answerer, "?")}
    out["role_label"] = role_label(view.content, role)
    out["group_turn"] = turn - group.offset + 1
    out["group_turns"] = group.turns
    return out | {"status": role, "signal": f"{role}-{turn}"}


def results(view: StepView, rnd: Round) -> dict[str, Any]:
    """Pairs and timings; how many wrote a goal, never what (goals are private)."""
    cards = group_cards(view, rnd)
    spans = rnd.pos.spans if rnd.pos else ()
    return {
        "question": view.content.question,
        "pairs": [{"members": c["names"], "size": len(c["ids"])} for c in cards],
        "phases": [
            {
                "phase": PHASE_NAMES.get(kind) or f"Tur {(turn or 0) + 1}",
                "seconds": round((end - start) / 1000),
            }
            for kind, turn, start, end in spans
        ],
        "finished": bool(rnd.pos and rnd.pos.kind == GOAL),
        "goals": sum(1 for r in view.responses if r.slot == "goal"),
    }

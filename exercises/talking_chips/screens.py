"""Talechips: what the screens show, built from the derived queues."""

from __future__ import annotations

from typing import Any

from facilitator.kinds import StepView

from . import logic
from .logic import CHIP, QUESTION, GroupChips


def cards(view: StepView, groups: dict[str, GroupChips]) -> list[dict[str, Any]]:
    """Per group: speaker, queue, chips left, per-person counts and the spread of talk."""
    names = {p.id: p.name for p in view.participants}
    titles = {str(g.id): g.name for g in view.groups} | {"all": "Alle", "none": "Uden bord"}
    out = []
    for key, group in groups.items():
        people = [
            {
                "name": names.get(pid, "?"),
                "left": group.left(pid),
                "turns": group.turns[pid],
                "placed": group.placed[pid],
            }
            for pid in group.members
        ]
        top = max([p["turns"] for p in people] + [1])
        for p in people:
            p["height"] = p["turns"] / top
        spread = logic.spread(group.turns, group.members)
        spread["bars"] = [{"count": c, "height": c / top} for c in spread["sorted"]]
        out.append(
            {
                "key": key,
                "name": titles.get(key, "Gruppe"),
                "speaker": names.get(group.current.pid) if group.current else None,
                "speaker_pid": group.current.pid if group.current else None,
                "speaker_question": bool(group.current and group.current.what == QUESTION),
                "item": group.current.id if group.current else None,
                "queue": [
                    {"name": names.get(it.pid, "?"), "question": it.what == QUESTION}
                    for it in group.queue
                ],
                "chips_left": group.chips_left,
                "chips_total": group.chips_total,
                "refills": group.round,
                "people": people,
                "member_ids": group.members,
                "spread": spread,
            }
        )
    return out


def phone(view: StepView, ctx: dict[str, Any], group: GroupChips | None) -> dict[str, Any]:
    """The viewing participant's chips, place in the queue, and what the buttons send."""
    me = view.participant
    if group is None or me is None or ctx["talk_phase"] == "ready":
        return {"status": ctx["talk_phase"] if group else "outside", "signal": "ready"}
    card = next(c for c in ctx["cards"] if c["key"] == group.key)
    place = group.place(me.id)
    if ctx["talk_phase"] == "ended":
        status = "ended"
    elif place == 0:
        status = "speaking"
    elif place is not None:
        status = "queued"
    elif group.left(me.id):
        wait = view.content.everyone_first and group.waiting_for_first(me.id)
        status = "wait_first" if wait else "can"
    else:
        status = "empty"
    return {
        "status": status,
        "signal": f"{'speak' if place == 0 else 'wait'}:{group.round}",
        "card": card,
        "place": place,
        "left": group.left(me.id),
        "my_turns": group.turns[me.id],
        "asked": me.id in group.asked,
        "tap": {"what": CHIP, "r": group.round, "n": group.spent.get(me.id, 0) + 1},
        "ask": {"what": QUESTION, "r": group.round},
        "done": {"what": "done", "item": group.current.id if group.current else ""},
    }

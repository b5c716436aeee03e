"""Ordet rundt på tid: what the screens show, built from the derived round."""

from __future__ import annotations

from typing import Any

from facilitator import timers
from facilitator.kinds import StepView, owner_id

from . import logic
from .logic import CURRENT, DONE, PASS, SKIPPED, STOPPED, TIME, UPCOMING

STATUS_LABELS = {
    UPCOMING: "Venter",
    CURRENT: "Taler nu",
    DONE: "Færdig",
    PASS: "Stod over",
    SKIPPED: "Sprunget over",
    TIME: "Brugte tiden",
    STOPPED: "Afbrudt",
}


def keywords_of(view: StepView) -> dict[int, str]:
    return {
        pid: r.payload.get("text", "")
        for r in view.responses
        if r.slot == "keyword" and (pid := owner_id(r)) is not None
    }


def group_cards(view: StepView, rounds: list[logic.GroupRound]) -> list[dict[str, Any]]:
    names = {p.id: p.name for p in view.participants}
    titles = {str(g.id): g.name for g in view.groups} | {"all": "Alle", "none": "Uden bord"}
    keywords = keywords_of(view) if view.content.keyword else {}
    cards = []
    for group in rounds:
        speaker, following = group.speaker, group.next
        cards.append(
            {
                "key": group.key,
                "name": titles.get(group.key, "Gruppe"),
                "phase": group.phase,
                "speaker": names.get(speaker.pid, "?") if speaker else None,
                "speaker_pid": speaker.pid if speaker else None,
                "current": group.current,
                "number": (group.current or 0) + 1,
                "total": len(group.turns),
                "next": names.get(following.pid, "?") if following else None,
                "timer": timers.show(logic.timer_for(view.state, group), view.now),
                "movable_from": logic.movable_from(group),
                "turns": [
                    {
                        "pid": t.pid,
                        "name": names.get(t.pid, "?"),
                        "status": t.status,
                        "label": STATUS_LABELS[t.status],
                        "seconds": t.seconds,
                        "keyword": keywords.get(t.pid),
                    }
                    for t in group.turns
                ],
            }
        )
    return cards


def ready_tables(view: StepView, orders: dict[str, list[int]]) -> list[dict[str, Any]]:
    """Before the start: each table's coming order, for the instructor to rearrange."""
    names = {p.id: p.name for p in view.participants}
    titles = {str(g.id): g.name for g in view.groups} | {"all": "Alle", "none": "Uden bord"}
    return [
        {
            "key": key,
            "name": titles.get(key, "Bord"),
            "movable_from": 0,
            "turns": [{"pid": pid, "name": names.get(pid, "?")} for pid in order],
        }
        for key, order in orders.items()
        if order
    ]


def phone(
    view: StepView, ctx: dict[str, Any], group: logic.GroupRound | None, mine: int | None
) -> dict[str, Any]:
    """Where the viewing participant stands: status (and signal), place, own keyword."""
    own = {r.slot: r.payload for r in view.own()}
    out: dict[str, Any] = {"keyword_text": own.get("keyword", {}).get("text")}
    if ctx["round_phase"] == "ready":
        status = "ready"
    elif group is None or mine is None:
        status = "outside"
    elif group.phase == "think":
        status = "first" if mine == 0 else "think"
    elif group.phase == "finished" or (group.current is not None and mine < group.current):
        status = "after"
    elif group.current == mine:
        status = "turn"
    elif group.current is not None and mine == group.current + 1:
        status = "next"
    else:
        status = "wait"
    card = next((c for c in ctx["groups"] if group and c["key"] == group.key), None)
    out.update(status=status, signal=status, card=card, my_number=(mine or 0) + 1)
    if card and mine is not None:
        out["my_turn"] = card["turns"][mine]
        out["ahead"] = mine - (group.current if group.current is not None else 0)
    return out


def results(question: str, cards: list[dict[str, Any]]) -> dict[str, Any]:
    """Who spoke, in what order, for how long; the keywords, also as action-plan rows."""
    keywords = [
        {"text": t["keyword"], "group": c["name"], "group_key": c["key"]}
        for c in cards
        for t in c["turns"]
        if t["keyword"]
    ]
    return {
        "question": question,
        "groups": [
            {
                "group": c["name"],
                "turns": [
                    {
                        "position": i,
                        "name": t["name"],
                        "status": t["status"],
                        "seconds": t["seconds"],
                        "keyword": t["keyword"],
                    }
                    for i, t in enumerate(c["turns"], 1)
                ],
            }
            for c in cards
        ],
        "keywords": keywords,
        # Anonymous rows an action plan can start from (see ExerciseKind.results).
        "plan_candidates": [
            {
                "theme": k["text"],
                "source": "Ordet rundt",
                **({"group_id": int(k["group_key"])} if k["group_key"].isdigit() else {}),
            }
            for k in keywords
        ],
    }

"""The questions of the room as pure functions: who asked is kept only to stop self-votes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

QUESTION = "q:"
VOTE = "v:"
ANSWERED = "answered"
# The projector's list, measured in lines of its type (1.6em at 1.9vw: 16:9 screens scale alike).
LINE_CHARS = 54
SCREEN_LINES = 9.0
PROMPT_CHARS = 40  # the prompt's line, at 1.8em beside the count
HIDDEN = "hidden"


@dataclass(frozen=True)
class Question:
    """One question as every screen sees it; `owner_id` never reaches a template as a name."""

    id: int
    text: str
    owner_id: int | None
    votes: int
    mark: str | None
    deleted: bool
    order: int
    slot: str  # the asker's own slot number, which the asker's phone uses to withdraw it


def room(responses: Iterable[Any], state: Mapping[str, Any]) -> list[Question]:
    """The questions in the order they were asked, each with its current votes."""
    rows = list(responses)
    votes: dict[str, int] = {}
    for r in rows:
        if r.slot.startswith(VOTE) and (r.payload or {}).get("on"):
            key = r.slot[len(VOTE) :]
            votes[key] = votes.get(key, 0) + 1
    marks = state.get("marks") or {}
    asked = sorted((r for r in rows if r.slot.startswith(QUESTION)), key=lambda r: r.id)
    out = []
    for order, r in enumerate(asked):
        payload = r.payload or {}
        owner = r.owner[2:] if r.owner.startswith("p:") else ""
        out.append(
            Question(
                id=r.id,
                text=str(payload.get("text", "")),
                owner_id=int(owner) if owner.isdigit() else None,
                votes=votes.get(str(r.id), 0),
                mark=marks.get(str(r.id)),
                deleted=bool(payload.get("deleted")),
                order=order,
                slot=r.slot[len(QUESTION) :],
            )
        )
    return out


def ranked(questions: Iterable[Question]) -> list[Question]:
    """Visible questions, unanswered first, then most votes, then the earliest asked."""
    shown = [q for q in questions if not q.deleted and q.mark != HIDDEN]
    return sorted(shown, key=lambda q: (q.mark == ANSWERED, -q.votes, q.order))


def fit(questions: list[Question], prompt: str) -> int:
    """How many questions fit on the projector under the prompt without cutting any text.

    When some are left over, room is kept for the line that says "+ K flere".
    """
    prompt_lines = -(-len(prompt) // PROMPT_CHARS)
    budget = SCREEN_LINES - max(0, prompt_lines - 2) * 0.9

    def count(room: float) -> int:
        shown, used = 0, 0.0
        for q in questions:
            used += -(-len(q.text) // LINE_CHARS) + 0.5  # the row's padding and gap
            if used > room:
                break
            shown += 1
        return shown

    shown = count(budget)
    return max(shown if shown == len(questions) else count(budget - 0.8), 1)

"""Case discussions as pure functions: the content, a table's answers, projector pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import Rejected, field_error, int_field, lines_field, text_field

ANSWER = "a:"  # + question index: one group-scoped row per table and question
# One projector page in lines of the cards' type (1.45em at 1.9vw, one full-width column;
# 1920x1080 and 1280x720 scale alike): what fits below the heading without cutting text.
LINE_CHARS = 58
HEAD_CHARS = 70
SCREEN_LINES = 10.0


@dataclass(frozen=True)
class CaseContent:
    case: str = text_field(
        "Casen", required=True, area=True, max_len=3000, help="Situationen, bordene drøfter."
    )
    questions: list[str] = lines_field(
        "Spørgsmål til bordet", max_items=8, max_len=300, help="Ét spørgsmål pr. linje."
    )
    max_chars: int = int_field(
        "Højst tegn pr. svar", default=800, low=100, high=3000, help="Standard: 800."
    )

    def checked(self) -> CaseContent:
        """A case without a question gives the tables nothing to conclude on."""
        if not self.questions:
            raise field_error(CaseContent, "questions", "mangler: skriv mindst ét spørgsmål.")
        return self


@dataclass(frozen=True)
class Answer:
    """One table's conclusion on one question (never who typed it)."""

    text: str
    rev: int
    earlier: str  # a version another member saved at the same moment, kept so none is lost


def clean_text(raw: Any, limit: int) -> str:
    """The text as typed, line breaks kept, trailing space gone; Rejected when too long."""
    text = "\n".join(line.rstrip() for line in str(raw or "").replace("\r\n", "\n").split("\n"))
    text = text.strip()
    if len(text) > limit:
        raise Rejected(f"Svaret er for langt: højst {limit} tegn, der står {len(text)}.")
    return text


def table_answers(rows: Iterable[Any], n: int) -> list[Answer | None]:
    """One table's answers, in question order (None: not answered)."""
    out: list[Answer | None] = [None] * n
    for r in rows:
        index = r.slot[len(ANSWER) :] if r.slot.startswith(ANSWER) else ""
        if index.isdigit() and int(index) < n:
            p: Mapping[str, Any] = r.payload or {}
            out[int(index)] = Answer(
                str(p.get("text", "")), int(p.get("rev", 0)), str(p.get("earlier", ""))
            )
    return out


def _lines(text: str, width: int) -> int:
    """The lines a text takes at `width` characters a line, each paragraph on its own."""
    return sum(max(1, -(-len(part) // width)) for part in text.split("\n")) if text else 1


def _chunks(text: str, lines: int) -> list[str]:
    """A long text cut between words into pieces of at most `lines` projector lines."""
    out, current = [], ""
    for word in text.replace("\n", " \n ").split(" "):
        candidate = f"{current} {word}".strip(" ") if current else word
        if current and _lines(candidate.replace(" \n ", "\n"), LINE_CHARS) > lines:
            out.append(current.replace(" \n ", "\n").strip())
            current = word
        else:
            current = candidate
    out.append(current.replace(" \n ", "\n").strip())
    return [c for c in out if c] or [""]


def pages(cards: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Cards (heading, text) in projector pages of SCREEN_LINES; a long text goes on overleaf.

    One column at full width, so a card's height is its lines; no text is ever cut off.
    """
    pieces: list[tuple[str, str, float]] = []
    for heading, text in cards:
        head = _lines(heading, HEAD_CHARS) * 0.75 + 0.6  # headings are smaller; padding
        room = max(1, int(SCREEN_LINES - head))
        for n, chunk in enumerate(_chunks(text, room) if text else [""]):
            title = heading if n == 0 else f"{heading} (fortsat)"
            pieces.append((title, chunk, head + _lines(chunk, LINE_CHARS)))
    out: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for title, chunk, cost in pieces:
        if out[-1] and used + cost > SCREEN_LINES:
            out.append([])
            used = 0.0
        out[-1].append((title, chunk))
        used += cost
    return out


def question_cards(case: str, questions: list[str]) -> list[tuple[str, str]]:
    """The numbered questions as cards that hold whole questions, the first beside the case.

    One card of them all would be cut between pages mid-question; these fill what is left of
    the case's page, then a page each.
    """
    head = _lines("Spørgsmål til bordet", HEAD_CHARS) * 0.75 + 0.6
    case_cost = head + _lines(case, LINE_CHARS)
    room = SCREEN_LINES - case_cost - head if case_cost <= SCREEN_LINES else 0.0
    groups: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for number, question in enumerate(questions, start=1):
        text = f"{number}. {question}"
        cost = _lines(text, LINE_CHARS)
        if used + cost > room:
            if current:
                groups.append(current)
            current, used, room = [], 0.0, SCREEN_LINES - head
        current.append(text)
        used += cost
    if current:
        groups.append(current)
    title = "Spørgsmål til bordet"
    return [(title if n == 0 else f"{title} (fortsat)", "\n".join(g)) for n, g in enumerate(groups)]


def overview_fits(case: str, questions: list[str]) -> bool:
    """Whether the case and its questions fit the projector in the large overview type."""
    lines = _lines(case, 50) + sum(_lines(q, 46) + 0.3 for q in questions) + 1
    return lines <= 9

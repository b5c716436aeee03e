"""Case discussions as pure functions: the content, a table's answers, projector pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import Rejected, field_error, int_field, lines_field, text_field

ANSWER = "a:"  # + question index: one group-scoped row per table and question
PAGE_CHARS = 650  # what fits on one projector page at 1280x720 in the large type
PAGE_CARDS = 4


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


def pages(cards: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Cards (heading, text) split into projector pages by a character budget, never cut."""
    out: list[list[tuple[str, str]]] = [[]]
    used = 0
    for card in cards:
        size = len(card[0]) + len(card[1]) + 80  # a card's frame costs about a line
        if out[-1] and (used + size > PAGE_CHARS or len(out[-1]) >= PAGE_CARDS):
            out.append([])
            used = 0
        out[-1].append(card)
        used += size
    return out

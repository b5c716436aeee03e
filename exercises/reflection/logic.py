"""Reflection / postkort as pure functions: content, answers, counts, the shared board, recall."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import ContentError, Rejected, flag, integer, text

MAX_QUESTIONS = 8
QUESTION_MAX = 300
RECALL_PREVIOUS = ("previous", "forrige")
RECALL_ALL = ("all", "alle")


@dataclass(frozen=True)
class Question:
    text: str
    shared: bool = False
    anonymous: bool = True

    @property
    def mode(self) -> str:
        """Who may ever see an answer: "private", "anonymous" or "named"."""
        if not self.shared:
            return "private"
        return "anonymous" if self.anonymous else "named"


@dataclass(frozen=True)
class ReflectionContent:
    intro: str
    questions: list[Question]
    max_chars: int
    recall: str  # "" (none), "previous", "all" or an earlier reflection step's title


def parse_question(raw: Any, number: int) -> Question:
    """A question: a plain text (private) or a table with text, shared and anonymous."""
    label = f"Spørgsmål {number}"
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, Mapping):
        raise ContentError(f"«{label}» skal være en tekst eller en tabel med «text».")
    shared = flag(raw, "shared")
    return Question(
        text=text(raw, "text", label, max_len=QUESTION_MAX),
        shared=shared,
        # Anonymous unless the instructor says otherwise: the safe default for shared answers.
        anonymous=flag(raw, "anonymous", default=True) if shared else True,
    )


def parse_content(raw: Mapping[str, Any]) -> ReflectionContent:
    """Turn the instructor's content into a ReflectionContent, or raise ContentError."""
    questions = raw.get("questions", [])
    if isinstance(questions, str):  # the quick "add step" box: one private question a line
        questions = [line for line in questions.splitlines() if line.strip()]
    if not isinstance(questions, list):
        raise ContentError("«Spørgsmål» skal være en liste.")
    if not questions:
        raise ContentError("«Spørgsmål» mangler: skriv mindst ét spørgsmål.")
    if len(questions) > MAX_QUESTIONS:
        raise ContentError(f"«Spørgsmål» må højst have {MAX_QUESTIONS} spørgsmål.")
    recall = text(raw, "recall", "Vis deltagerens tidligere svar", required=False, max_len=200)
    if recall.casefold() in RECALL_PREVIOUS:
        recall = "previous"
    elif recall.casefold() in RECALL_ALL:
        recall = "all"
    return ReflectionContent(
        intro=text(raw, "intro", "Indledning", required=False, max_len=1500),
        questions=[parse_question(q, i) for i, q in enumerate(questions, start=1)],
        max_chars=integer(
            raw, "max_chars", "Højst antal tegn pr. svar", default=500, low=50, high=2000
        ),
        recall=recall,
    )


def clean_answers(
    content: ReflectionContent, data: Mapping[str, Any], had_answers: bool, locked: bool
) -> list[str]:
    """The answers of one submission (form fields a0, a1 ...), checked, or raise Rejected."""
    if locked:
        raise Rejected("Underviseren har låst svarene, så de kan ikke ændres længere.")
    answers = []
    for i, _question in enumerate(content.questions):
        value = data.get(f"a{i}", "")
        # Browsers send line breaks as \r\n but count them as one character in maxlength.
        value = str(value if value is not None else "").replace("\r\n", "\n").strip()
        if len(value) > content.max_chars:
            raise Rejected(
                f"Svaret på spørgsmål {i + 1} er for langt ({len(value)} tegn). "
                f"Skriv højst {content.max_chars} tegn."
            )
        answers.append(value)
    if not any(answers) and not had_answers:
        raise Rejected("Skriv mindst ét svar, før du gemmer.")
    return answers


def answers_of(payload: Mapping[str, Any] | None, n: int) -> list[str]:
    """A stored payload's answers, one per question (missing ones empty)."""
    stored = (payload or {}).get("answers") or []
    stored = [a if isinstance(a, str) else "" for a in stored]
    return (stored + [""] * n)[:n]


def counts(content: ReflectionContent, payloads: Sequence[Mapping[str, Any]]) -> list[int]:
    """How many wrote something, per question: all the controls ever see of private answers."""
    n = len(content.questions)
    totals = [0] * n
    for payload in payloads:
        for i, answer in enumerate(answers_of(payload, n)):
            totals[i] += bool(answer)
    return totals


def board(
    question: Question, index: int, rows: Sequence[tuple[str, Mapping[str, Any]]], minimum: int
) -> dict[str, Any]:
    """The shared answers to one question, as the room may see them.

    `rows` are (writer's name, payload). Anonymous answers carry no name and are sorted by
    their text, so neither a name nor the order of writing points at a person; below
    `minimum` answers none are shown at all. A private question never gets a board.
    """
    if not question.shared:
        raise ValueError("private answers have no board")
    found = [(name, answers_of(p, index + 1)[index]) for name, p in rows]
    found = [(name, answer) for name, answer in found if answer]
    if question.anonymous:
        enough = len(found) >= minimum
        items = sorted(({"text": a} for _n, a in found), key=lambda i: i["text"].casefold())
        return {"count": len(found), "enough": enough, "items": items if enough else []}
    items = sorted(({"name": n, "text": a} for n, a in found), key=lambda i: i["name"].casefold())
    return {"count": len(found), "enough": True, "items": items}


def pick_recall(recall: str, earlier: Sequence[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The earlier steps to show back: the previous one, all, or those with a given title."""
    if not recall or not earlier:
        return []
    if recall == "previous":
        return [earlier[-1]]
    if recall == "all":
        return list(earlier)
    wanted = recall.casefold().strip()
    matches = [e for e in earlier if (e[0].title or "").casefold().strip() == wanted]
    return matches[-1:]

"""Reflection / postkort as pure functions: content, answers, counts, the shared board, recall."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from facilitator.kinds import Rejected, bool_field, int_field, records_field, text_field

MAX_QUESTIONS = 8
QUESTION_MAX = 300
RECALL_PREVIOUS = ("previous", "forrige")
RECALL_ALL = ("all", "alle")


@dataclass(frozen=True)
class Question:
    """One question, and who may ever see its answers."""

    # A question may be written as a plain text: its text, private.
    main_field: ClassVar[str] = "text"

    text: str = text_field("Spørgsmål", required=True, area=True, max_len=QUESTION_MAX)
    shared: bool = bool_field(
        "Svarene kan vises på skærmen", help="Uden flueben: kun til den, der skriver."
    )
    anonymous: bool = bool_field("Uden navn, når svarene vises", default=True)

    def checked(self) -> Question:
        """Anonymous unless shared with names: the safe default for what the room sees."""
        return self if self.shared else replace(self, anonymous=True)

    @property
    def mode(self) -> str:
        """Who may ever see an answer: "private", "anonymous" or "named"."""
        if not self.shared:
            return "private"
        return "anonymous" if self.anonymous else "named"


@dataclass(frozen=True)
class ReflectionContent:
    """A reflection step's content: intro, questions, answer length and what to recall."""

    intro: str = text_field(
        "Indledning", area=True, max_len=1500, help="Vises over spørgsmålene. Kan være tom."
    )
    questions: list[Question] = records_field(
        "Spørgsmål",
        Question,
        item="Spørgsmål",
        one="ét spørgsmål",
        plural="spørgsmål",
        required=True,
        max_items=MAX_QUESTIONS,
        help="Svarene er private, medmindre de kan vises på skærmen; så er de uden navn, "
        "medmindre andet er valgt.",
    )
    max_chars: int = int_field(
        "Højst antal tegn pr. svar", default=500, low=50, high=2000, help="Mellem 50 og 2000."
    )
    # "" (none), "previous", "all" or an earlier reflection step's title.
    recall: str = text_field(
        "Vis deltagerens tidligere svar",
        max_len=200,
        help="Tom: ingen. «forrige»: det seneste refleksionstrin. «alle»: alle tidligere. "
        "Eller titlen på et tidligere trin, fx «Overvej til i morgen».",
    )

    def checked(self) -> ReflectionContent:
        """The recall words in either language, stored as "previous" or "all"."""
        if self.recall.casefold() in RECALL_PREVIOUS:
            return replace(self, recall="previous")
        if self.recall.casefold() in RECALL_ALL:
            return replace(self, recall="all")
        return self


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

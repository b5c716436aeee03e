"""Tip en 13'er: the coupon's content and the pure scoring (coupons, places, distributions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import (
    ContentError,
    choice_field,
    lines_field,
    records_field,
    text_field,
)

ANSWERS: tuple[str, ...] = ("1", "X", "2")
DEFAULT_LABELS: tuple[str, str, str] = ("Rigtigt", "Det afhænger af", "Forkert")
STANDARD_ROWS = 13
MAX_ROWS = 30
LABEL_MAX = 40
# "Emner at tage op igen": the rows at least this share got wrong, worst first, at most this many.
REPEAT_MIN_SHARE = 0.3
REPEAT_MAX = 3
INDIVIDUAL, GROUP, LOCKED = "individual", "group", "locked"


def normalise_answer(value: Any) -> str | None:
    """'1', 'x', 'X', '2' (or the TOML numbers 1 and 2) as one of ANSWERS; None if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip().upper()
    return value if value in ANSWERS else None


def parse_labels(raw: Any, where: str) -> tuple[str, str, str] | None:
    """Three meanings of 1/X/2: a list of three texts, or a table with the keys 1, X and 2."""
    if raw is None or raw == "" or raw == [] or raw == {}:
        return None
    if isinstance(raw, Mapping):
        found = {normalise_answer(k): v for k, v in raw.items()}
        if set(found) != set(ANSWERS):
            raise ContentError(f"«{where}» skal have netop de tre nøgler 1, X og 2.")
        values = [found[a] for a in ANSWERS]
    elif isinstance(raw, list | tuple):
        values = list(raw)
    elif isinstance(raw, str):
        values = [v for v in raw.split("|")] if "|" in raw else raw.splitlines()
    else:
        raise ContentError(f"«{where}» skal være tre tekster: betydningen af 1, X og 2.")
    if len(values) != 3 or not all(isinstance(v, str) and v.strip() for v in values):
        raise ContentError(f"«{where}» skal være tre tekster: betydningen af 1, X og 2.")
    values = [v.strip() for v in values]
    for v in values:
        if len(v) > LABEL_MAX:
            raise ContentError(f"En betydning i «{where}» er for lang (højst {LABEL_MAX} tegn).")
    return (values[0], values[1], values[2])


def _rows_from_text(raw: str) -> list[dict[str, Any]]:
    """The quick form: one row a line, 'udsagn | svar | forklaring | henvisning'."""
    rows = []
    for number, line in enumerate((x for x in raw.splitlines() if x.strip()), start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3:
            raise ContentError(
                f"Række {number}: skriv én række pr. linje som «udsagn | rigtigt svar (1, X "
                "eller 2) | forklaring | henvisning» (henvisningen kan udelades)."
            )
        parts += [""] * (4 - len(parts))
        rows.append(
            {"text": parts[0], "answer": parts[1], "explanation": parts[2], "reference": parts[3]}
        )
    return rows


@dataclass(frozen=True)
class Row:
    """One row of the coupon: a statement, its right answer and why."""

    text: str = text_field("Tekst", required=True, area=True, max_len=300)
    answer: str = choice_field("Rigtigt svar", (("1", "1"), ("X", "X"), ("2", "2")))
    explanation: str = text_field("Forklaring", required=True, area=True, max_len=800)
    reference: str = text_field("Henvisning", max_len=120, help="Fx «Lokalaftalen § 8, stk. 1».")
    # None: the coupon's labels, which Coupon.checked fills in.
    labels: tuple[str, str, str] = lines_field(
        "Betydning af 1, X og 2",
        default=None,
        read=parse_labels,
        rare=True,
        help="Kun hvis rækken har sine egne: tre linjer. Tom: kuponens.",
    )
    number: int = 0  # the row's place on the coupon, from 1 (set by Coupon.checked)

    def label(self, answer: str) -> str:
        return self.labels[ANSWERS.index(answer)]

    @property
    def stacked(self) -> bool:
        """Long single words do not fit three across a phone: put the buttons under each other."""
        return any(len(word) > 11 for label in self.labels for word in label.split())


@dataclass(frozen=True)
class Coupon:
    """A tip13 step's content: how it is played, what 1/X/2 mean, and the rows."""

    intro: str = text_field("Introduktion", area=True, max_len=600)
    mode: str = choice_field(
        "Spilleform",
        (
            ("individual_then_group", "Først alene, så i gruppen"),
            ("individual", "Kun alene"),
            ("group", "Kun i gruppen"),
        ),
        default="individual_then_group",
    )
    labels: tuple[str, str, str] = lines_field(
        "Betydning af 1, X og 2",
        default=DEFAULT_LABELS,
        read=parse_labels,
        help="Tre linjer: 1, X og 2.",
    )
    rows: tuple[Row, ...] = records_field(
        "Rækker",
        Row,
        item="Række",
        one="én række",
        plural="rækker",
        required=True,
        max_items=MAX_ROWS,
        from_text=_rows_from_text,
        help="Hver række er et udsagn, der besvares 1, X eller 2, med facit og forklaring.",
    )

    def checked(self) -> Coupon:
        """Rows numbered from 1, and a row without labels of its own uses the coupon's."""
        # Built directly, not with replace(): a coupon is read on every render of its step.
        rows = tuple(
            Row(r.text, r.answer, r.explanation, r.reference, r.labels or self.labels, n)
            for n, r in enumerate(self.rows, start=1)
        )
        return Coupon(self.intro, self.mode, self.labels, rows)

    @property
    def warning(self) -> str | None:
        n = len(self.rows)
        if n == STANDARD_ROWS:
            return None
        word = "række" if n == 1 else "rækker"
        return f"Kuponen har {n} {word} – en rigtig 13'er har {STANDARD_ROWS}."


def first_phase(coupon: Coupon) -> str:
    """Where play starts: the group coupon at once in group mode, else each their own."""
    return GROUP if coupon.mode == "group" else INDIVIDUAL


def reveal_stamp(revealed: int, state: Mapping[str, Any]) -> str:
    """What the controls saw when "næste"/"forrige" was pressed: a second press is a no-op."""
    return f"{revealed}:{int(bool(state.get('board')))}"


# ---- scoring: pure functions of coupons ({row number: answer}) --------------------------------


def coupon_of(responses: Iterable[Any]) -> dict[int, str]:
    """One owner's coupon from its Response rows (slot 'row:<n>', payload {'answer': ...})."""
    out: dict[int, str] = {}
    for r in responses:
        slot = getattr(r, "slot", "") or ""
        if not slot.startswith("row:") or not slot[4:].isdigit():
            continue
        answer = normalise_answer((r.payload or {}).get("answer"))
        if answer is not None:
            out[int(slot[4:])] = answer
    return out


def score(coupon: Mapping[int, str], rows: Iterable[Row]) -> int:
    """Right answers among `rows` (an unanswered row scores nothing)."""
    return sum(1 for row in rows if coupon.get(row.number) == row.answer)


# Danish alphabetical order: æ, ø, å come after z (code points would put å before æ).
_DANISH = str.maketrans({"æ": "z\x01", "ø": "z\x02", "å": "z\x03"})


def danish(name: str) -> str:
    return name.casefold().translate(_DANISH)


def ranked(entries: Iterable[tuple[Any, str, int]]) -> list[dict[str, Any]]:
    """(key, name, score) as places by score, ties sharing a place (1, 2, 2, 4).

    Equal scores are listed by name; no points for speed, so nothing else breaks a tie.
    """
    ordered = sorted(entries, key=lambda e: (-e[2], danish(e[1])))
    board: list[dict[str, Any]] = []
    for index, (key, name, points) in enumerate(ordered):
        place = board[-1]["place"] if board and board[-1]["score"] == points else index + 1
        board.append({"key": key, "name": name, "score": points, "place": place, "shared": False})
    per_place = Counter(e["place"] for e in board)
    for entry in board:
        entry["shared"] = per_place[entry["place"]] > 1
    return board


def distribution(coupons: Iterable[Mapping[int, str]], number: int) -> dict[str, int]:
    """How many coupons chose 1, X and 2 in row `number` (blanks are not counted)."""
    counts = dict.fromkeys(ANSWERS, 0)
    for c in coupons:
        answer = c.get(number)
        if answer in counts:
            counts[answer] += 1
    return counts


def wrong_rows(coupons: list[Mapping[int, str]], rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Per row: answered and wrong counts; the rows to repeat are the worst ones."""
    out = []
    for row in rows:
        answered = [c[row.number] for c in coupons if row.number in c]
        wrong = sum(1 for a in answered if a != row.answer)
        share = wrong / len(answered) if answered else 0.0
        out.append({"row": row, "answered": len(answered), "wrong": wrong, "share": share})
    return out


def to_repeat(stats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows most got wrong: worst share first, at least REPEAT_MIN_SHARE, at most REPEAT_MAX."""
    worst = [s for s in stats if s["answered"] and s["share"] >= REPEAT_MIN_SHARE]
    worst.sort(key=lambda s: (-s["share"], -s["wrong"], s["row"].number))
    return worst[:REPEAT_MAX]

"""Workshop programs: TOML files in exercises/programs/, validated against the kinds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..day_clock import ClockError, read_kl, read_minutes
from ..kinds import ContentError, registry
from .toml_io import StepLines, dumps, loads, locate_steps

LIBRARY = Path(__file__).resolve().parents[2] / "exercises" / "programs"
SLUG_MAX = 80
TITLE_MAX = 200
DESCRIPTION_MAX = 2000
# A step's own keys beside its kind's content: the day clock's plan (day_clock.py).
PLAN_KEYS = ("plan_minutes", "kl")
STEP_KEYS = {"kind", "title", *PLAN_KEYS}


class ProgramError(ValueError):
    """A program file is not valid; the message is Danish and names the line, step and field.

    `errors` holds every problem found, one message each (the message joins them).
    """

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or [message]


@dataclass(frozen=True)
class ProgramStep:
    kind: str
    title: str
    content: dict[str, Any]
    plan_minutes: int | None = None  # the planned length
    kl: str = ""  # the planned clock time, Danish local time ("9.00")

    @property
    def plan(self) -> dict[str, Any]:
        """The plan as stored beside the content: only what is set."""
        plan: dict[str, Any] = {"plan_minutes": self.plan_minutes, "kl": self.kl}
        return {k: v for k, v in plan.items() if v}


@dataclass(frozen=True)
class Program:
    slug: str
    title: str
    description: str
    steps: list[ProgramStep]
    # The library program this one is the next day of (dag 2 follows dag 1): same course.
    follows: str = ""


def parse(text: str, slug: str = "") -> Program:
    """Parse and validate a program's TOML text; errors point at the line and field."""
    try:
        data = loads(text)
    except ValueError as exc:
        raise ProgramError(f"Filen er ikke gyldig TOML: {exc}") from exc
    return from_data(data, slug, locate_steps(text))


def from_data(
    data: Mapping[str, Any], slug: str = "", lines: list[StepLines] | None = None
) -> Program:
    """Validate a program given as data (parsed TOML, or steps kept in the database)."""
    errors: list[str] = []
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append('Linje 1: Programmet mangler en titel (title = "...").')
        title = ""
    raw_steps = data.get("steps", [])
    if not isinstance(raw_steps, list):
        raise ProgramError("«steps» skal være en liste af trin ([[steps]]).")
    steps = []
    for number, raw in enumerate(raw_steps, start=1):
        where = lines[number - 1] if lines and len(lines) >= number else None
        if not isinstance(raw, Mapping):
            errors.append(_at(where, None, f"Trin {number} skal være en tabel ([[steps]])."))
            continue
        kind_name = raw.get("kind")
        if kind_name not in registry():
            errors.append(_at(where, "kind", f"Trin {number}: ukendt øvelsestype «{kind_name}»."))
            continue
        kind = registry()[kind_name]
        step_title = str(raw.get("title", "")).strip() or kind.title
        content = {k: v for k, v in raw.items() if k not in STEP_KEYS}
        try:
            plan = read_plan(raw)
        except ClockError as exc:
            bad = "kl" if "klokkeslæt" in str(exc) else "plan_minutes"
            errors.append(_at(where, bad, f"Trin {number} ({_short(step_title)}): {exc}"))
            continue
        try:
            kind.parse(content)
        except ContentError as exc:
            for path, problem in exc.errors.items():
                message = f"Trin {number} ({_short(step_title)}): {problem}"
                if path:
                    message += f" Feltet i filen: {file_key(path)}."
                errors.append(_at(where, path.split(".")[0] or None, message))
            continue
        steps.append(ProgramStep(kind_name, step_title[:TITLE_MAX], content, *plan))
    if errors:
        raise ProgramError("\n".join(errors), errors)
    description = str(data.get("description", "")).strip()[:DESCRIPTION_MAX]
    follows = data.get("follows", "")
    follows = follows.strip()[:120] if isinstance(follows, str) else ""
    return Program(slug, title.strip()[:TITLE_MAX], description, steps, follows)


def read_plan(raw: Mapping[str, Any]) -> tuple[int | None, str]:
    """A step's planned minutes and clock time; raises ClockError (Danish)."""
    return read_minutes(raw.get("plan_minutes")), read_kl(raw.get("kl"))


def file_key(path: str) -> str:
    """Where an error's field stands in a program file: "answer under [[steps.rows]] nr. 2"."""
    parts = path.split(".")
    if len(parts) == 1:
        return parts[0]
    where = f"[[steps.{parts[0]}]] nr. {int(parts[1]) + 1}"
    return f"{'.'.join(parts[2:])} under {where}" if len(parts) > 2 else where


def _short(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _at(where: StepLines | None, key: str | None, message: str) -> str:
    """Prefix the line: the key's own line if the file has it, else the step's header."""
    if where is None:
        return message
    line = where.keys.get(key, where.header) if key else where.header
    return f"Linje {line} · {message}"


def to_data(program: Program) -> dict[str, Any]:
    """The program as the data of a library file."""
    data: dict[str, Any] = {"title": program.title}
    if program.description:
        data["description"] = program.description
    if program.follows:
        data["follows"] = program.follows
    data["steps"] = [
        {"kind": s.kind, "title": s.title, **s.plan, **s.content} for s in program.steps
    ]
    return data


def export(program: Program) -> str:
    """The program as TOML text in the library's format (parse(export(p)) equals p)."""
    head = "# Workshopprogram til facilitator. Importér filen under «Programmer».\n"
    return head + dumps(to_data(program))


@lru_cache(maxsize=64)
def _library_file(text: str, slug: str) -> Program:
    """A library file's program, parsed once per text (the create page lists them all,
    ~5 ms a file); keyed on the text, so an edited file is parsed afresh. Only the library's
    programs are shared this way: nobody changes them in place."""
    return parse(text, slug)


def library() -> list[Program]:
    """All ready-made programs, sorted by title."""
    return sorted(
        (_library_file(p.read_text(encoding="utf-8"), p.stem) for p in LIBRARY.glob("*.toml")),
        key=lambda p: p.title,
    )


def load(slug: str) -> Program:
    """One ready-made program by its file name (without .toml)."""
    # Bounded before it reaches the file system: a long name is "File name too long" there.
    if len(slug) > SLUG_MAX or not slug.replace("_", "").replace("-", "").isalnum():
        raise ProgramError(f"Programmet «{slug[:SLUG_MAX]}» findes ikke.")
    path = LIBRARY / f"{slug}.toml"
    if not path.is_file():
        raise ProgramError(f"Programmet «{slug}» findes ikke.")
    return _library_file(path.read_text(encoding="utf-8"), slug)

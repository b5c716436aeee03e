"""Instructors' own programs: copy, import, edit step by step, share, and use in a workshop."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from ..db import db
from ..kinds import registry
from ..media import bundle
from ..media.check import MediaError
from ..models import Instructor, utcnow
from ..validation import as_int
from . import definition as programs
from .models import Program, program_shares
from .toml_io import dumps, loads

STEPS_MAX = 80
# A program file with its pictures as base64 (each at most 2 MB).
IMPORT_MAX = 12 * 1024 * 1024


class StaleProgram(ValueError):
    """The program changed since the form was shown (another tab, a double click)."""

    def __init__(self) -> None:
        super().__init__(
            "Programmet er ændret i mellemtiden, fx i et andet vindue. "
            "Genindlæs siden, og prøv igen."
        )


# ---- reading -------------------------------------------------------------------------------


def own(instructor: Instructor) -> list[Program]:
    """The instructor's programs, most recently changed first."""
    query = select(Program).where(Program.owner_id == instructor.id)
    return list(db.scalars(query.order_by(Program.updated_at.desc(), Program.id.desc())))


def shared_with(instructor: Instructor) -> list[Program]:
    """Colleagues' programs shared with the instructor (read-only for them)."""
    query = (
        select(Program)
        .join(program_shares, program_shares.c.program_id == Program.id)
        .where(program_shares.c.instructor_id == instructor.id)
        .order_by(Program.title)
    )
    return list(db.scalars(query))


def can_edit(instructor: Instructor | None, program: Program) -> bool:
    return instructor is not None and program.owner_id == instructor.id


def can_see(instructor: Instructor | None, program: Program) -> bool:
    if instructor is None:
        return False
    return can_edit(instructor, program) or any(i.id == instructor.id for i in program.shared_with)


def definition(program: Program) -> programs.Program:
    """The program as the library's type (for a workshop, an export, a preview)."""
    steps = [
        programs.ProgramStep(s["kind"], s["title"], s["content"], *plan_of(s))
        for s in program.steps
    ]
    return programs.Program(f"own:{program.id}", program.title, program.description, steps)


def export(program: Program) -> str:
    """The program as a TOML file in the library's format, its pictures in [media]."""
    text = programs.export(definition(program))
    pictures = bundle.table(bundle.refs(_contents(program.steps), _media_fields()))
    return text + ("\n" + dumps({bundle.MEDIA_KEY: pictures}) if pictures else "")


def _media_fields() -> tuple[str, ...]:
    return tuple({f for kind in registry().values() for f in kind.media_fields})


def _contents(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s["content"] for s in steps if isinstance(s.get("content"), dict)]


def resolve(instructor: Instructor, key: str) -> programs.Program:
    """A program chosen in a form: a library slug, or "own:<id>" the instructor may see."""
    if key.startswith("own:"):
        number = as_int(key[4:], 1)
        row = db.get(Program, number) if number is not None else None
        if row is None or not can_see(instructor, row):
            raise programs.ProgramError("Programmet findes ikke.")
        return definition(row)
    return programs.load(key)


def choices(instructor: Instructor) -> list[tuple[str, str, int]]:
    """(form value, title, step count) of the instructor's own and shared programs."""
    rows = own(instructor) + shared_with(instructor)
    return [(f"own:{p.id}", p.title, len(p.steps)) for p in rows]


# ---- creating ------------------------------------------------------------------------------


def _new(owner: Instructor, source: programs.Program, origin: str, title: str = "") -> Program:
    if len(source.steps) > STEPS_MAX:
        raise programs.ProgramError(f"Et program kan højst have {STEPS_MAX} trin.")
    row = Program(
        owner_id=owner.id,
        title=(title or source.title)[: programs.TITLE_MAX],
        description=source.description,
        steps=[
            {"kind": s.kind, "title": s.title, "content": copy.deepcopy(s.content)}
            | ({"plan": s.plan} if s.plan else {})
            for s in source.steps
        ],
        origin=origin[:200],
    )
    db.add(row)
    db.commit()
    return row


def create_empty(owner: Instructor, title: str) -> Program:
    title = " ".join((title or "").split())
    if not title:
        raise programs.ProgramError("Giv programmet en titel.")
    return _new(owner, programs.Program("", title, "", []), "")


def copy_library(owner: Instructor, slug: str) -> Program:
    """Copy a ready-made program into the instructor's own."""
    source = programs.load(slug)
    return _new(owner, source, f"Bibliotek: {source.title}", f"{source.title} (kopi)")


def copy_program(owner: Instructor, program: Program) -> Program:
    """Copy an own or shared program into the instructor's own."""
    if not can_see(owner, program):
        raise programs.ProgramError("Programmet findes ikke.")
    origin = f"Kopi af {program.owner.name}s program" if program.owner_id != owner.id else ""
    return _new(owner, definition(program), origin, f"{program.title} (kopi)")


def import_toml(owner: Instructor, data: bytes, filename: str = "") -> Program:
    """Import a program file; errors (ProgramError) point at the line and field."""
    if len(data) > IMPORT_MAX:
        raise programs.ProgramError(f"Filen er for stor (højst {IMPORT_MAX // 2**20} MB).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise programs.ProgramError(
            "Filen er ikke gemt som UTF-8. Gem den som UTF-8 (tekst), og prøv igen."
        ) from exc
    source = programs.parse(text)
    fields = _media_fields()
    wanted = bundle.refs([st.content for st in source.steps], fields)
    if wanted:
        try:
            mapping = bundle.take(loads(text), wanted, owner.id)
        except MediaError as exc:
            db.rollback()
            raise programs.ProgramError(str(exc)) from exc
        for st in source.steps:  # a picture checked again may be stored under a new name
            for f in fields:
                if st.content.get(f) in mapping:
                    st.content[f] = mapping[st.content[f]]
    return _new(owner, source, f"Importeret fra {filename}" if filename else "Importeret")


# ---- editing (the caller checks can_edit) --------------------------------------------------


def _save(program: Program, version: int | None, **changes: Any) -> Program:
    if version is not None and version != program.version:
        raise StaleProgram()
    for key, value in changes.items():
        setattr(program, key, value)
    program.version += 1
    program.updated_at = utcnow()
    db.commit()
    return program


def update_meta(program: Program, version: int | None, title: str, description: str) -> Program:
    title = " ".join((title or "").split())
    if not title:
        raise programs.ProgramError("Giv programmet en titel.")
    description = (description or "").strip()[: programs.DESCRIPTION_MAX]
    return _save(program, version, title=title[: programs.TITLE_MAX], description=description)


def move_step(program: Program, version: int | None, index: int, delta: int) -> Program:
    """Move a step up (delta -1) or down (+1); at either end nothing moves."""
    steps = list(program.steps)
    target = index + delta
    if not (0 <= index < len(steps) and 0 <= target < len(steps)):
        return _save(program, version)
    steps[index], steps[target] = steps[target], steps[index]
    return _save(program, version, steps=steps)


def add_step(program: Program, version: int | None, kind_name: str) -> Program:
    """Append a step of a kind, starting from the kind's example content."""
    kind = registry().get(kind_name)
    if kind is None:
        raise programs.ProgramError("Vælg en øvelsestype.")
    if len(program.steps) >= STEPS_MAX:
        raise programs.ProgramError(f"Et program kan højst have {STEPS_MAX} trin.")
    step = {"kind": kind.name, "title": kind.title, "content": copy.deepcopy(kind.example)}
    return _save(program, version, steps=[*program.steps, step])


def remove_step(program: Program, version: int | None, index: int) -> Program:
    if not 0 <= index < len(program.steps):
        raise programs.ProgramError("Det trin findes ikke.")
    return _save(program, version, steps=[s for i, s in enumerate(program.steps) if i != index])


def plan_of(step: Mapping[str, Any]) -> tuple[int | None, str]:
    """A stored step's planned minutes and clock time; none where unreadable."""
    try:
        return programs.read_plan(step.get("plan") or {})
    except ValueError:
        return None, ""


def update_step(
    program: Program,
    version: int | None,
    index: int,
    title: str,
    content: dict[str, Any],
    plan: Mapping[str, Any] | None = None,
) -> Program:
    """Replace a step's title, content and plan (kept when None) once the kind accepts it."""
    if not 0 <= index < len(program.steps):
        raise programs.ProgramError("Det trin findes ikke.")
    step = program.steps[index]
    kind = registry()[step["kind"]]
    kind.parse(content)  # ContentError goes to the form
    title = " ".join((title or "").split())[: programs.TITLE_MAX] or kind.title
    steps = list(program.steps)
    steps[index] = {"kind": step["kind"], "title": title, "content": content}
    plan = step.get("plan") if plan is None else {k: v for k, v in plan.items() if v}
    if plan:
        steps[index]["plan"] = dict(plan)
    return _save(program, version, steps=steps)


def delete(program: Program) -> None:
    db.delete(program)
    db.commit()


# ---- sharing -------------------------------------------------------------------------------


def share(program: Program, email: str) -> Instructor:
    """Share with a colleague by e-mail; they see it read-only and can copy it."""
    email = (email or "").strip().lower()
    colleague = db.scalar(select(Instructor).where(func.lower(Instructor.email) == email))
    if colleague is None:
        raise programs.ProgramError(
            f"Der er ingen underviser med e-mailen «{email}». Kollegaen skal have en konto først."
        )
    if colleague.id == program.owner_id:
        raise programs.ProgramError("Programmet er dit eget.")
    if colleague not in program.shared_with:
        program.shared_with.append(colleague)
        db.commit()
    return colleague


def unshare(program: Program, instructor_id: int) -> None:
    program.shared_with = [i for i in program.shared_with if i.id != instructor_id]
    db.commit()

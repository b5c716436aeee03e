"""The contract every registered exercise kind keeps; a new kind is checked here for free."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Blueprint

from exercises import KINDS, template_dirs
from facilitator import programs
from facilitator.kinds import (
    SCREENS,
    ContentError,
    ExerciseKind,
    fields_of,
    parse_content,
    text_field,
)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_is_complete(name):
    kind = KINDS[name]
    assert isinstance(kind, ExerciseKind)
    assert kind.name == name and kind.title
    folders = [d for d in template_dirs() if d.parent.name == name]
    assert folders, f"{name} has no templates folder"
    for screen in SCREENS:
        assert (folders[0] / name / f"{screen}.html").is_file(), f"{name} lacks {screen}.html"
    content = kind.parse(kind.example)
    state = kind.initial_state(content)
    assert isinstance(state, dict)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_parse_survives_garbage(name):
    """Bad content raises a Danish ContentError, never a crash."""
    kind = KINDS[name]
    for garbage in ({}, {"x": object()}, {key: 12345 for key in kind.example}):
        try:
            kind.parse(garbage)
        except ValueError as exc:
            assert str(exc)


INPUT_TYPES = {"text", "textarea", "lines", "int", "bool", "choice", "records"}


def refused(kind: ExerciseKind, raw: dict) -> ContentError:
    with pytest.raises(ContentError) as caught:
        kind.parse(raw)
    return caught.value


@pytest.mark.parametrize("name", sorted(KINDS))
def test_content_fields_come_from_one_declaration(name):
    """The editor's fields are the content dataclass's, each drawn as an input, with a label."""
    kind = KINDS[name]
    assert kind.Content is not None and kind.fields == fields_of(kind.Content)
    parts = [p for f in kind.fields for p in f.parts]
    for f in (*kind.fields, *parts):
        assert f.type in INPUT_TYPES, (f.name, f.type)
        assert f.label and f.label[0].isupper() and f.label == f.label.strip(), f.name
    assert kind.parse(kind.example) is not None
    if kind.main_field:
        assert kind.main_field in {f.name for f in kind.fields}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_missing_required_field_is_named_by_its_label(name):
    kind = KINDS[name]
    for f in kind.fields:
        if f.required:
            exc = refused(kind, {k: v for k, v in kind.example.items() if k != f.name})
            assert exc.field == f.name and str(exc).startswith(f"«{f.label}» mangler"), f.name
        for part in f.parts if f.type == "records" else ():
            row = dict(kind.example[f.name][0])
            if part.required:
                rows = [{k: v for k, v in row.items() if k != part.name}]
                exc = refused(kind, {**kind.example, f.name: rows})
                assert exc.field == f"{f.name}.0.{part.name}", part.name
                assert "mangler" in str(exc) and f"«{f.item} 1" in str(exc), str(exc)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_an_over_long_text_names_its_limit(name):
    kind = KINDS[name]
    for f in kind.fields:
        if f.type in {"text", "textarea"}:
            exc = refused(kind, {**kind.example, f.name: "x" * (f.max_len + 1)})
            assert exc.field == f.name, f.name
            assert str(exc) == f"«{f.label}» er for lang (højst {f.max_len} tegn).", f.name
        for part in f.parts if f.type == "records" else ():
            if part.type in {"text", "textarea"}:
                rows = [{**kind.example[f.name][0], part.name: "x" * (part.max_len + 1)}]
                exc = refused(kind, {**kind.example, f.name: rows})
                assert exc.field == f"{f.name}.0.{part.name}", part.name
                assert f"er for lang (højst {part.max_len} tegn)" in str(exc), part.name


@pytest.mark.parametrize("name", sorted(KINDS))
def test_choices_are_refused_with_their_danish_labels_only(name):
    kind = KINDS[name]
    for f in kind.fields:
        tried = [(f, {**kind.example, f.name: "ukendt"})]
        for part in f.parts if f.type == "records" else ():
            rows = [{**kind.example[f.name][0], part.name: "ukendt"}]
            tried.append((part, {**kind.example, f.name: rows}))
        for choice, raw in tried:
            if choice.type != "choice":
                continue
            message = str(refused(kind, raw))
            assert all(f"«{label}»" in message for _value, label in choice.choices), message
            english = [value for value, label in choice.choices if value != label]
            assert not any(value in message for value in english), message


def test_every_library_program_validates():
    library = programs.library()
    assert library, "no programs shipped"
    for program in library:
        assert program.steps, program.slug
    courses = {
        "med_grund_dag1",
        "med_grund_dag2",
        "store_med_dag",
        "klippekort_psykologisk_tryghed",
        "klippekort_godt_med_samarbejde",
    }
    assert courses <= {p.slug for p in library}


def test_program_errors_name_step_and_field():
    bad = 'title = "X"\n[[steps]]\nkind = "scale"\ntitle = "Enig?"\n'
    with pytest.raises(programs.ProgramError, match=r"Trin 1 \(Enig\?\): «Udsagn» mangler"):
        programs.parse(bad)
    with pytest.raises(programs.ProgramError, match="ukendt øvelsestype «dans»"):
        programs.parse('title = "X"\n[[steps]]\nkind = "dans"\n')
    with pytest.raises(programs.ProgramError, match="ikke gyldig TOML"):
        programs.parse("title = ")


def test_text_helper_limits():
    @dataclass(frozen=True)
    class One:
        a: str = text_field("A")

    assert parse_content(One, {"a": "  hej "}).a == "hej"


def test_a_kind_that_owns_routes_is_served_without_a_core_edit(monkeypatch, tmp_path):
    """A new kind with a blueprint of its own: one registry line, and its route answers."""
    import exercises
    from facilitator import create_app, kinds
    from tests.conftest import TEST_SETTINGS

    bp = Blueprint("quiz", __name__, url_prefix="/quiz")
    bp.add_url_rule("/ping", "ping", lambda: "pong")

    class Quiz(type(KINDS["info"])):
        name = "quiz"
        title = "Quiz"
        blueprint = bp

    monkeypatch.setitem(exercises.KINDS, "quiz", Quiz())
    monkeypatch.setitem(kinds._registry, "quiz", Quiz())  # removed again after the test
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}"})
    assert app.test_client().get("/quiz/ping").text == "pong"
    assert kinds.kind_of("quiz").title == "Quiz"


def test_every_kind_exports_readable_rows(app, teacher):
    """The results CSV asks each kind for rows; none may crash or leak a data path."""
    from facilitator import workshops
    from facilitator.db import db
    from facilitator.kinds import ExportRow
    from facilitator.models import Workshop
    from facilitator.reading import step_view
    from tests.conftest import make_workshop

    ws = make_workshop(teacher, program="")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        for name, kind in KINDS.items():
            step = workshops.add_step(workshop, name, "", kind.example)
            rows = kind.export_rows(step_view(workshop, step))
            assert all(isinstance(r, ExportRow) for r in rows), name
            for r in rows:
                assert "[" not in r.question and "_" not in r.question, (name, r)
    csv = teacher.get(f"/w/{ws['id']}/results.csv").text
    assert csv.startswith("\ufefftrin;titel;øvelse;bord;spørgsmål;svar")

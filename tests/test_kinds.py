"""The contract every registered exercise kind keeps; a new kind is checked here for free."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from exercises import KINDS, template_dirs
from facilitator import programs
from facilitator.kinds import SCREENS, ExerciseKind, parse_content, text_field


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

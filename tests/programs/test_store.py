"""Own programs in the database: copy, import, edit, share, resolve, and the step form."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from exercises import KINDS
from facilitator import programs
from facilitator.db import Base, db
from facilitator.kinds import ContentError
from facilitator.programs import store as program_store
from facilitator.programs.forms import WHOLE, content_from_form, form_values
from facilitator.views.auth import create_instructor
from tests.conftest import PASSWORD


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def ulla(ctx, instructor):
    return db.merge(instructor)


@pytest.fixture
def kaj(ctx):
    return create_instructor("Kaj Kollega", "kaj@example.dk", PASSWORD)


def test_migration_matches_the_model(app, ctx):
    with app.extensions["engine"].connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diff if "program" in repr(d)]
    assert mine == []


def test_copy_from_the_library_is_independent_of_the_file(ulla):
    program = program_store.copy_library(ulla, "demo")
    assert program.title == "Demo: Hvor står vi i MED? (kopi)"
    assert program.origin == "Bibliotek: Demo: Hvor står vi i MED?"
    assert program_store.definition(program).steps == programs.load("demo").steps
    program.steps[0]["content"]["points"].append("Ændret i databasen")
    assert "Ændret i databasen" not in programs.load("demo").steps[0].content["points"]
    assert program_store.own(ulla) == [program]


def test_moves_stop_at_the_ends_and_stale_versions_are_refused(ulla):
    program = program_store.copy_library(ulla, "demo")
    first = [s["title"] for s in program.steps]
    program_store.move_step(program, 1, 0, -1)  # the first step cannot go further up
    assert [s["title"] for s in program.steps] == first and program.version == 2
    program_store.move_step(program, 2, 3, 1)
    assert [s["title"] for s in program.steps] == first
    program_store.move_step(program, 3, 0, 1)
    assert [s["title"] for s in program.steps][:2] == [first[1], first[0]]
    with pytest.raises(program_store.StaleProgram, match="ændret i mellemtiden"):
        program_store.move_step(program, 3, 0, 1)
    assert [s["title"] for s in program.steps][:2] == [first[1], first[0]]


def test_add_starts_from_the_example_and_update_validates(ulla):
    program = program_store.create_empty(ulla, "  Mit   modul ")
    assert program.title == "Mit modul" and program.steps == []
    for name in KINDS:
        program_store.add_step(program, None, name)
    assert [s["kind"] for s in program.steps] == list(KINDS)
    assert program.steps[0]["content"] == KINDS[program.steps[0]["kind"]].example
    scale = list(KINDS).index("scale")
    with pytest.raises(Exception, match="«Udsagn» mangler"):
        program_store.update_step(program, None, scale, "Tom", {"statement": ""})
    program_store.update_step(program, None, scale, "", {"statement": "Enig?"})
    assert program.steps[scale] == {
        "kind": "scale",
        "title": "Hvor enig er du i ...",
        "content": {"statement": "Enig?"},
    }
    program_store.remove_step(program, None, 0)
    assert len(program.steps) == len(KINDS) - 1
    with pytest.raises(programs.ProgramError):
        program_store.add_step(program, None, "dans")
    with pytest.raises(programs.ProgramError, match="Giv programmet en titel"):
        program_store.create_empty(ulla, "   ")


def test_sharing_gives_read_access_and_resolve_respects_it(ulla, kaj):
    program = program_store.copy_library(ulla, "demo")
    key = f"own:{program.id}"
    assert program_store.can_edit(ulla, program) and not program_store.can_see(kaj, program)
    with pytest.raises(programs.ProgramError, match="findes ikke"):
        program_store.resolve(kaj, key)
    with pytest.raises(programs.ProgramError, match="ingen underviser"):
        program_store.share(program, "ukendt@example.dk")
    with pytest.raises(programs.ProgramError, match="dit eget"):
        program_store.share(program, "ulla@example.dk")
    program_store.share(program, " Kaj@Example.dk ")
    program_store.share(program, "kaj@example.dk")  # twice: still one share
    assert program.shared_with == [kaj] and program_store.shared_with(kaj) == [program]
    assert program_store.can_see(kaj, program) and not program_store.can_edit(kaj, program)
    assert program_store.resolve(kaj, key).title == program.title
    assert program_store.choices(kaj) == [(key, program.title, 4)]
    theirs = program_store.copy_program(kaj, program)
    assert theirs.owner_id == kaj.id and theirs.origin == "Kopi af Ulla Undervisers program"
    program_store.unshare(program, kaj.id)
    assert program_store.shared_with(kaj) == [] and not program_store.can_see(kaj, program)
    with pytest.raises(programs.ProgramError, match="findes ikke"):
        program_store.resolve(kaj, "own:abc")
    assert program_store.resolve(kaj, "demo").slug == "demo"


def test_import_checks_size_encoding_and_content(ulla):
    text = programs.export(programs.load("med_tip13"))
    program = program_store.import_toml(ulla, "\ufeff".encode() + text.encode(), "kupon.toml")
    assert program.origin == "Importeret fra kupon.toml"
    assert program_store.definition(program).steps == programs.load("med_tip13").steps
    assert program_store.export(program) == text
    with pytest.raises(programs.ProgramError, match="for stor"):
        program_store.import_toml(ulla, b"#" * (program_store.IMPORT_MAX + 1))
    with pytest.raises(programs.ProgramError, match="UTF-8"):
        program_store.import_toml(ulla, "title = 'Møde'".encode("cp1252"))
    with pytest.raises(programs.ProgramError, match="Linje 4 · Trin 1"):
        program_store.import_toml(ulla, b'title = "x"\n\n[[steps]]\nkind = "nej"\n')


def test_deleting_a_program_removes_its_shares(ulla, kaj):
    program = program_store.copy_library(ulla, "demo")
    program_store.share(program, "kaj@example.dk")
    program_store.delete(program)
    assert program_store.own(ulla) == [] and program_store.shared_with(kaj) == []


# ---- the step form ---------------------------------------------------------------------------


def test_form_values_show_defaults_for_missing_settings(ctx):
    values = form_values(KINDS["round_robin"], {"question": "Hvad?"})
    assert values["question"] == "Hvad?" and values["allow_pass"] is True
    assert values["seconds"] == "60" and values["order"] == "join" and values["plenum"] is False
    values = form_values(KINDS["scale"], {"statement": "Enig?", "labels": ["a", "b"]})
    assert values["labels"] == "a\nb" and values["case"] == ""


def test_form_round_trip_keeps_unshown_keys_and_drops_empty_ones(ctx):
    kind = KINDS["info"]
    stored = {"body": "Hej", "points": ["A"], "extra": 1}
    form = {"body": " Goddag \r\n", "points": "Et\r\n\r\n To \n", "show_on_phone": "1"}
    content, errors = content_from_form(kind, stored, form)
    assert errors == {}
    assert content == {"body": "Goddag", "points": ["Et", "To"], "show_on_phone": True, "extra": 1}
    content, errors = content_from_form(kind, stored, {"body": "", "points": ""})
    assert errors == {} and content == {"show_on_phone": False, "extra": 1}


def test_form_errors_land_beside_their_field(ctx):
    scale = KINDS["scale"]
    _, errors = content_from_form(scale, {}, {"statement": "Enig?", "points": "6"})
    assert errors == {"points": "«Antal trin» skal være 5 eller 7."}
    _, errors = content_from_form(scale, {}, {"statement": "Enig?", "labels": "a\nb"})
    assert errors == {"labels": "«Trinnenes navne» skal have 5 navne, ét for hvert trin."}
    tip13 = KINDS["tip13"]
    _, errors = content_from_form(tip13, {}, {"rows": ""})
    assert errors == {"rows": "«Rækker» mangler: skriv mindst én række."}
    row = {"rows.0.text": "Et udsagn", "rows.0.explanation": "Fordi"}
    _, errors = content_from_form(tip13, {}, {"rows": "0", **row})
    assert errors == {"rows.0.answer": "«Række 1: rigtigt svar» mangler."}


def test_kinds_without_fields_are_edited_as_one_toml_text(ctx):
    class Bare(type(KINDS["scale"])):
        fields = ()

    bare = Bare()
    values = form_values(bare, {"statement": "Enig?", "points": 7})
    assert values == {WHOLE: 'statement = "Enig?"\npoints = 7\n'}
    content, errors = content_from_form(bare, {}, {WHOLE: 'statement = "Ja?"\nkind = "x"\n'})
    assert content == {"statement": "Ja?"} and errors == {}
    _, errors = content_from_form(bare, {}, {WHOLE: "statement = "})
    assert errors == {WHOLE: "Ikke gyldig TOML: linje 1 (til sidst): ugyldig værdi "
                      "(husk anførselstegn om tekster)."}  # fmt: skip
    _, errors = content_from_form(bare, {}, {WHOLE: "points = 5"})
    assert errors == {WHOLE: "«Udsagn» mangler."}


def _reads(kind, name: str, value) -> str:
    """The parsed content with one field set, or the error it gives."""
    try:
        return repr(kind.parse({**kind.example, name: value}))
    except ContentError as exc:
        return f"error: {exc}"


@pytest.mark.parametrize("kind", [k for k in KINDS.values() if k.fields], ids=lambda k: k.name)
def test_fields_are_keys_parse_reads_and_errors_name_their_label(ctx, kind):
    names = [f.name for f in kind.fields]
    assert len(names) == len(set(names))
    for f in kind.fields:
        assert f.label and f.label[0].isupper(), f.name
        if f.type in {"text", "textarea"}:
            read = _reads(kind, f.name, "Prøvetekst æøå")
            # Read back, or refused by the field's own rule (a link must be a web address).
            assert "Prøvetekst æøå" in read or read.startswith(f"error: «{f.label}»"), f.name
            assert f"«{f.label}» er for lang" in _reads(kind, f.name, "x" * 5000), f.name
        elif f.type == "int":
            assert f"«{f.label}»" in _reads(kind, f.name, "mange"), f.name
        elif f.type == "bool":
            assert _reads(kind, f.name, True) != _reads(kind, f.name, False), f.name
        elif f.type == "choice":
            seen = {_reads(kind, f.name, value) for value, _label in f.choices}
            assert len(seen) == len(f.choices) and not any(r.startswith("error") for r in seen)
            assert _reads(kind, f.name, "ukendt").startswith("error"), f.name
        elif f.type in {"lines", "records"}:
            assert f"«{f.label}" in _reads(kind, f.name, 3), f.name

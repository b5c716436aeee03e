"""Program files: the library round trip through export, and errors that point at lines."""

from __future__ import annotations

import pytest

from facilitator import programs
from facilitator.programs.toml_io import locate_steps


@pytest.mark.parametrize("program", programs.library(), ids=lambda p: p.slug)
def test_every_library_file_exports_and_reimports_as_itself(program):
    text = programs.export(program)
    again = programs.parse(text, program.slug)
    assert again == program
    assert programs.export(again) == text  # and the export is stable


def test_export_keeps_nested_rows_and_multiline_text():
    program = programs.Program(
        "x",
        "Linjer",
        "To\nlinjer",
        [
            programs.ProgramStep("info", "Hej", {"body": "Første linje\nAnden linje"}),
            programs.ProgramStep(
                "tip13",
                "Kupon",
                {
                    "rows": [
                        {
                            "text": "A" * 90,
                            "answer": "X",
                            "explanation": "B",
                            "labels": {"1": "a", "X": "b", "2": "c"},
                        }
                    ]
                },
            ),
        ],
    )
    text = programs.export(program)
    # Long rows as tables of their own (short ones may stay inline: both are valid TOML).
    assert '"""' in text and "[[steps.rows]]" in text and "[steps.rows.labels]" in text
    assert programs.parse(text, "x") == program


BAD = """\
title = "Mit kursus"

[[steps]]
kind = "info"
title = "Velkommen"
body = \"\"\"
[[steps]]
statement = 1
\"\"\"

[[steps]]
kind = "scale"
title = "Hvor enig er du i, at vi holder pauser nok i løbet af dagen?"
points = 6
statement = "Pauser?"

[[steps]]
kind = "scale"
title = "Tom"

[[steps]]
title = "Ingen type"
"""


def test_every_bad_step_is_reported_with_its_line_and_field():
    with pytest.raises(programs.ProgramError) as caught:
        programs.parse(BAD)
    assert caught.value.errors == [
        "Linje 14 · Trin 2 (Hvor enig er du i, at vi holder pauser…): "
        "«Antal trin» skal være 5 eller 7. Feltet i filen: points.",
        # A missing field points at the step's own [[steps]] line.
        "Linje 17 · Trin 3 (Tom): «Udsagn» mangler. Feltet i filen: statement.",
        "Linje 21 · Trin 4: ukendt øvelsestype «None».",
    ]
    assert str(caught.value) == "\n".join(caught.value.errors)


def test_missing_title_and_steps_not_a_list():
    with pytest.raises(programs.ProgramError, match=r"^Linje 1: Programmet mangler en titel"):
        programs.parse('[[steps]]\nkind = "info"\n')
    with pytest.raises(programs.ProgramError, match="«steps» skal være en liste"):
        programs.parse('title = "x"\nsteps = 3\n')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'title = "x"\nbody = hej\n',
            "linje 2, kolonne 8: ugyldig værdi (husk anførselstegn om tekster)",
        ),
        ('title = "x"\n[[steps]\n', "linje 2, kolonne 8: mangler «]]» efter tabellens navn"),
        ('title = "x"\ntitle = "y"\n', "linje 2, kolonne 12: samme navn er brugt to gange"),
        ('title = "x\n', "linje 1, kolonne 11: en tekst mangler sit afsluttende anførselstegn"),
        ("title = ", "linje 1 (til sidst): ugyldig værdi (husk anførselstegn om tekster)"),
        ('points = [1, 2\ntitle = "x"', "linje 2, kolonne 1: en liste er ikke lukket med «]»"),
    ],
)
def test_toml_syntax_errors_in_danish_with_line_and_column(text, message):
    with pytest.raises(programs.ProgramError) as caught:
        programs.parse(text)
    assert str(caught.value) == f"Filen er ikke gyldig TOML: {message}."


def test_locate_skips_multiline_strings_and_nested_tables():
    lines = locate_steps(BAD)
    assert [s.header for s in lines] == [3, 11, 17, 21]
    assert lines[0].keys == {"kind": 4, "title": 5, "body": 6}
    text = '[[steps]]\nkind = "tip13"\n\n[[steps.rows]]\ntext = "a"\n\n[[steps]]\nkind = "info"\n'
    lines = locate_steps(text)
    assert [s.keys for s in lines] == [{"kind": 2}, {"kind": 8}]


def test_library_and_load_keep_working():
    slugs = [p.slug for p in programs.library()]
    assert "demo" in slugs and programs.load("demo").title == "Demo: Hvor står vi i MED?"
    with pytest.raises(programs.ProgramError, match="findes ikke"):
        programs.load("../demo")


def test_an_error_inside_a_row_names_the_row_and_its_key_in_the_file():
    text = (
        'title = "Kupon"\n\n[[steps]]\nkind = "tip13"\ntitle = "Kuponen"\n\n'
        '[[steps.rows]]\ntext = "A"\nanswer = "1"\nexplanation = "B"\n\n'
        '[[steps.rows]]\ntext = "C"\nanswer = "3"\nexplanation = ""\n'
    )
    with pytest.raises(programs.ProgramError) as caught:
        programs.parse(text)
    assert caught.value.errors == [
        "Linje 3 · Trin 1 (Kuponen): «Række 2: rigtigt svar» skal være «1», «X» eller «2». "
        "Feltet i filen: answer under [[steps.rows]] nr. 2.",
        "Linje 3 · Trin 1 (Kuponen): «Række 2: forklaring» mangler. "
        "Feltet i filen: explanation under [[steps.rows]] nr. 2.",
    ]


def test_day_two_says_which_program_it_follows():
    day2 = programs.load("med_grund_dag2")
    assert day2.follows == "med_grund_dag1"
    assert programs.parse(programs.export(day2)).follows == "med_grund_dag1"
    assert programs.load("med_grund_dag1").follows == ""

"""programs.toml_io: Danish syntax errors with their line, and where each step's keys stand."""

from __future__ import annotations

import pytest

from facilitator.programs.toml_io import dumps, loads, locate_steps

PROGRAM = '''title = "Dag 1"

[[steps]]
kind = "info"
text = """To linjer,
[[steps]] inde i en tekst tæller ikke"""

[[steps]]
kind = "tip13"
title = "Tip en 13'er"

[[steps.rows]]
question = "Hvem?"
'''


def test_locate_steps_finds_headers_and_keys_but_not_text_or_nested_tables():
    first, second = locate_steps(PROGRAM)
    assert (first.header, first.keys) == (3, {"kind": 4, "text": 5})
    assert second.header == 8 and second.keys == {"kind": 9, "title": 10}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'title = "Dag 1\n',
            "linje 1, kolonne 15: en tekst mangler sit afsluttende anførselstegn.",
        ),
        ("title = Dag\n", "linje 1, kolonne 9: ugyldig værdi (husk anførselstegn om tekster)."),
        ("a = 1\na = 2\n", "linje 2, kolonne 6: samme navn er brugt to gange."),
    ],
)
def test_syntax_errors_are_danish_with_line_and_column(text, expected):
    with pytest.raises(ValueError) as caught:
        loads(text)
    assert str(caught.value) == expected


def test_dumps_keeps_multi_line_text_readable_and_round_trips():
    data = {"title": "Dag 2", "steps": [{"kind": "info", "text": "Første linje\nAnden linje"}]}
    text = dumps(data)
    assert '"""' in text and "Første linje\nAnden linje" in text
    assert loads(text) == data

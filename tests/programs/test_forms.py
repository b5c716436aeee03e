"""The step form round trip: stored content -> form inputs -> posted form -> the same content."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from exercises import KINDS
from facilitator import programs
from facilitator.kinds import ExerciseKind, Field
from facilitator.programs.forms import content_from_form, edit_rows, form_values, read_form


def as_posted(kind: ExerciseKind, values: dict[str, Any]) -> MultiDict:
    """What a browser sends for the form drawn from `values` (unticked boxes send nothing)."""
    form = MultiDict()
    for f in kind.fields:
        if f.type == "records":
            form.add(f.name, "")
            for number, row in enumerate(values[f.name]):
                form.add(f.name, str(number))
                for part in f.parts:
                    _add(form, part, f"{f.name}.{number}.{part.name}", row[part.name])
        else:
            _add(form, f, f.name, values[f.name])
    return form


def _add(form: MultiDict, f: Field, name: str, value: Any) -> None:
    if f.type == "choice" and value not in [stored for stored, _label in f.choices]:
        # A select whose value is no option shows (and sends) its first option.
        value = "" if f.default is None else f.choices[0][0]
    if f.type != "bool":
        form.add(name, value)
    elif value:
        form.add(name, "1")


def round_trip(kind: ExerciseKind, content: dict[str, Any]) -> dict[str, Any]:
    saved, errors = content_from_form(kind, {}, as_posted(kind, form_values(kind, content)))
    assert errors == {}
    return saved


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_survives_the_form_unchanged(name):
    kind = KINDS[name]
    assert kind.parse(round_trip(kind, kind.example)) == kind.parse(kind.example)


LIBRARY_STEPS = [
    pytest.param(step, id=f"{program.slug}-{number}")
    for program in programs.library()
    for number, step in enumerate(program.steps, start=1)
]


@pytest.mark.parametrize("step", LIBRARY_STEPS)
def test_every_library_step_survives_the_form_unchanged(step):
    """Opening a shipped step in the editor and saving it changes nothing it means."""
    kind = KINDS[step.kind]
    assert kind.parse(round_trip(kind, step.content)) == kind.parse(step.content)


def test_records_become_rows_of_inputs_and_back():
    tip13 = KINDS["tip13"]
    labels = {"1": "J", "x": "M", "2": "N"}  # a 1/X/2 table, as program files may have it
    content = {
        "rows": [
            {"text": "A", "answer": 2, "explanation": "Fordi", "labels": labels},
            {"text": "B", "answer": "x", "explanation": "Derfor", "reference": "§ 8"},
        ]
    }
    rows = form_values(tip13, content)["rows"]
    assert rows[0] == {
        "text": "A", "answer": "2", "explanation": "Fordi", "reference": "", "labels": "J\nM\nN",
    }  # fmt: skip
    assert rows[1]["answer"] == "X" and rows[1]["labels"] == ""  # the option the select has
    saved = round_trip(tip13, content)
    assert saved["rows"][0]["labels"] == ["J", "M", "N"] and saved["rows"][1]["answer"] == "X"
    # The one-box quick form ("udsagn | svar | forklaring") opens as rows too.
    quick = form_values(tip13, {"rows": "Første | 1 | Fordi\nAnden | X | Derfor | § 8"})["rows"]
    assert [(r["text"], r["answer"], r["reference"]) for r in quick] == [
        ("Første", "1", ""),
        ("Anden", "X", "§ 8"),
    ]
    questions = form_values(KINDS["reflection"], {"questions": "Hvad?\nHvorfor?"})["questions"]
    assert [q["text"] for q in questions] == ["Hvad?", "Hvorfor?"]
    assert questions[0]["shared"] is False and questions[0]["anonymous"] is True


def test_a_records_field_the_form_does_not_send_keeps_what_is_stored():
    tip13 = KINDS["tip13"]
    stored = {"rows": [{"text": "A", "answer": "1", "explanation": "B"}]}
    assert read_form(tip13, stored, {"mode": "group"})["rows"] == stored["rows"]
    content, errors = content_from_form(tip13, stored, {"rows": "", "mode": "group"})
    assert "rows" not in content and errors == {"rows": "«Rækker» mangler: skriv mindst én række."}


def test_row_numbers_from_a_hostile_form_are_ignored():
    tip13 = KINDS["tip13"]
    form = MultiDict([("rows", "0"), ("rows", "0"), ("rows", "-1"), ("rows", "x"), ("rows", "²")])
    form.update({"rows.0.text": "A", "rows.0.answer": "1", "rows.0.explanation": "B"})
    content, errors = content_from_form(tip13, {}, form)
    assert errors == {} and content["rows"] == [{"text": "A", "answer": "1", "explanation": "B"}]


def test_row_buttons_add_remove_and_move():
    kind = KINDS["reflection"]
    content = {"questions": [{"text": "A"}, {"text": "B"}]}
    added, focus = edit_rows(kind, content, "add:questions")
    assert added["questions"][-1] == {} and focus == "questions.2"
    moved, focus = edit_rows(kind, content, "down:questions:0")
    assert [q["text"] for q in moved["questions"]] == ["B", "A"] and focus == "questions.1"
    removed, focus = edit_rows(kind, content, "remove:questions:1")
    assert removed["questions"] == [{"text": "A"}] and focus == "questions.0"
    assert edit_rows(kind, content, "up:questions:0") == (content, "questions.0")
    nonsense_ops = ("remove:questions:9", "remove:questions:²", "add:intro", "remove:x:0")
    for nonsense in (*nonsense_ops, "explode:questions:0", "", ":::"):
        assert edit_rows(kind, content, nonsense)[0] == content, nonsense
    full = {"questions": [{"text": str(i)} for i in range(8)]}
    assert edit_rows(kind, full, "add:questions")[0] == full  # at the limit: no more rows


def test_errors_in_a_row_land_beside_that_rows_input_counting_kept_rows():
    tip13 = KINDS["tip13"]
    form = MultiDict([("rows", ""), ("rows", "0"), ("rows", "1"), ("rows", "2")])
    form.update({"rows.0.text": "A", "rows.0.answer": "1", "rows.0.explanation": "B"})
    form.update({"rows.2.text": "C", "rows.2.explanation": "D"})  # row 1 left blank: dropped
    content, errors = content_from_form(tip13, {}, form)
    assert len(content["rows"]) == 2
    assert errors == {"rows.1.answer": "«Række 2: rigtigt svar» mangler."}
    assert form_values(tip13, content)["rows"][1]["text"] == "C"  # shown again as row 2

"""The content schema: one declaration per field drives parsing, Danish errors and the form."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

import pytest

from facilitator.content import (
    ContentError,
    bool_field,
    choice_field,
    field_error,
    fields_of,
    int_field,
    lines_field,
    parse_content,
    records_field,
    text_field,
)


@dataclass(frozen=True)
class Item:
    main_field: ClassVar[str] = "text"

    text: str = text_field("Tekst", required=True, max_len=20)
    done: bool = bool_field("Færdig")
    size: int = int_field("Størrelse", default=1, low=1, high=3)


@dataclass(frozen=True)
class Card:
    title: str = text_field("Titel", required=True, max_len=10, help="Kort.")
    note: str = text_field("Note", area=True, default="Ingen note")
    count: int = int_field("Antal", default=5, low=5, high=7, allowed=(5, 7))
    tags: list[str] = lines_field("Mærker", max_items=2, max_len=5, default=("a",))
    public: bool = bool_field("Offentlig", default=True)
    order: str = choice_field(
        "Rækkefølge",
        (("join", "Tilmeldingsrækkefølge"), ("random", "Tilfældig")),
        default="join",
        aliases=(("tilfaeldig", "random"),),
    )
    items: list[Item] = records_field(
        "Punkter", Item, item="Punkt", one="ét punkt", plural="punkter", max_items=3
    )
    plain: int = 0  # not declared: not content, left to its default

    def checked(self) -> Card:
        """A cross-field rule: no more items than the count allows, and a filled-in default."""
        if len(self.items) > self.count - 4:
            raise field_error(Card, "items", f"må højst have {self.count - 4} punkter her.")
        return replace(self, plain=len(self.tags))


def error(raw) -> ContentError:  # noqa: ANN001
    with pytest.raises(ContentError) as caught:
        parse_content(Card, raw)
    return caught.value


def test_fields_are_declared_once_in_order_with_their_keys():
    fields = fields_of(Card)
    assert [f.name for f in fields] == [
        "title", "note", "count", "tags", "public", "order", "items",
    ]  # fmt: skip
    title = fields[0]
    assert (title.label, title.type, title.help, title.required, title.max_len) == (
        "Titel", "text", "Kort.", True, 10,
    )  # fmt: skip
    assert fields[1].type == "textarea" and fields[6].type == "records"
    assert [p.name for p in fields[6].parts] == ["text", "done", "size"]
    assert fields[6].main == "text" and fields[0].main is None


def test_defaults_fill_what_is_missing_or_empty_and_texts_are_stripped():
    card = parse_content(Card, {"title": "  Hej  ", "note": "  "})
    assert card == Card(
        title="Hej", note="Ingen note", count=5, tags=["a"], public=True, order="join",
        items=[], plain=1,
    )  # fmt: skip
    assert parse_content(Card, {"title": "x", "count": "", "tags": ""}).count == 5


def test_each_type_reads_its_shapes():
    card = parse_content(
        Card,
        {
            "title": "x", "count": "7", "tags": "b\n\n c \n", "public": "on",
            "order": "Tilfældig", "items": ["Første", {"text": "Anden", "done": True, "size": 2}],
        },
    )  # fmt: skip
    assert (card.count, card.tags, card.public, card.order) == (7, ["b", "c"], True, "random")
    assert card.items == [Item("Første"), Item("Anden", True, 2)]
    assert parse_content(Card, {"title": "x", "order": "TILFAELDIG"}).order == "random"
    assert parse_content(Card, {"title": "x", "public": False}).public is False
    two = parse_content(Card, {"title": "x", "count": 7, "items": "A\nB"})
    assert two.items == [Item("A"), Item("B")]


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({}, "title", "«Titel» mangler."),
        ({"title": 3}, "title", "«Titel» skal være en tekst."),
        ({"title": "x" * 11}, "title", "«Titel» er for lang (højst 10 tegn)."),
        ({"title": "x", "count": "mange"}, "count", "«Antal» skal være et helt tal."),
        ({"title": "x", "count": True}, "count", "«Antal» skal være et helt tal."),
        ({"title": "x", "count": 9}, "count", "«Antal» skal være mellem 5 og 7."),
        ({"title": "x", "count": 6}, "count", "«Antal» skal være 5 eller 7."),
        ({"title": "x", "tags": [1]}, "tags", "«Mærker» skal være en liste af tekster."),
        ({"title": "x", "tags": "a\nb\nc"}, "tags", "«Mærker» må højst have 2 punkter."),
        ({"title": "x", "tags": "langtord"}, "tags",
         "Et punkt i «Mærker» er for langt (højst 5 tegn)."),
        ({"title": "x", "items": 3}, "items", "«Punkter» skal være en liste af punkter."),
        ({"title": "x", "items": [3]}, "items.0", "«Punkt 1» skal være en tekst eller en tabel."),
        ({"title": "x", "items": ["a", {"done": 1}]}, "items.1.text", "«Punkt 2» mangler."),
        ({"title": "x", "items": [{"text": "a", "size": 0}]}, "items.0.size",
         "«Punkt 1: størrelse» skal være mellem 1 og 3."),
        ({"title": "x", "items": ["a"] * 4}, "items",
         "«Punkter» må højst have 3 punkter, men har 4. Slet nogle, så der er højst 3."),
        ({"title": "x", "items": ["a", "b"]}, "items", "«Punkter» må højst have 1 punkter her."),
    ],
)  # fmt: skip
def test_errors_are_danish_and_carry_the_path_of_their_field(raw, field, message):
    exc = error(raw)
    assert (exc.field, str(exc)) == (field, message)


def test_choice_errors_name_the_danish_labels_never_the_stored_values():
    message = str(error({"title": "x", "order": "alfabetisk"}))
    assert message == "«Rækkefølge» skal være «Tilmeldingsrækkefølge» eller «Tilfældig»."
    assert "join" not in message and "random" not in message


def test_every_problem_is_collected_first_one_first():
    exc = error({"title": "", "count": 6, "items": ["ok", {"text": ""}, {"text": "x" * 21}]})
    assert exc.errors == {
        "title": "«Titel» mangler.",
        "count": "«Antal» skal være 5 eller 7.",
        "items.1.text": "«Punkt 2» mangler.",
        "items.2.text": "«Punkt 3» er for lang (højst 20 tegn).",
    }
    assert exc.field == "title" and str(exc) == "«Titel» mangler."


def test_cross_field_checks_run_only_on_content_that_reads():
    # "count" fails on its own, so the items rule (which needs a count) is not asked.
    exc = error({"title": "x", "count": 6, "items": ["a", "b", "c"]})
    assert list(exc.errors) == ["count"]


def test_a_required_record_list_says_what_is_missing():
    @dataclass(frozen=True)
    class Coupon:
        rows: list[Item] = records_field(
            "Rækker", Item, item="Række", one="én række", plural="rækker", required=True
        )

    for raw in ({}, {"rows": []}, {"rows": ""}):
        with pytest.raises(ContentError, match="^«Rækker» mangler: skriv mindst én række.$"):
            parse_content(Coupon, raw)


def test_a_record_field_may_have_a_quick_text_form_and_a_reader_of_its_own():
    def quick(raw: str) -> list[dict]:
        return [
            {"text": line.split("|")[0], "size": int(line.split("|")[1])} for line in raw.split(";")
        ]

    def read_pair(raw, label: str):  # noqa: ANN001
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise ContentError(f"«{label}» skal være en tabel.")
        return (raw["a"], raw["b"])

    @dataclass(frozen=True)
    class Box:
        items: list[Item] = records_field(
            "Punkter", Item, item="Punkt", one="ét punkt", plural="punkter", from_text=quick
        )
        pair: tuple = lines_field("Par", read=read_pair, default=("x", "y"))

    box = parse_content(Box, {"items": "A|2;B|3", "pair": {"a": 1, "b": 2}})
    assert box.items == [Item("A", size=2), Item("B", size=3)] and box.pair == (1, 2)
    assert parse_content(Box, {}).pair == ("x", "y")
    with pytest.raises(ContentError, match="«Par» skal være en tabel.") as caught:
        parse_content(Box, {"pair": 3})
    assert caught.value.field == "pair"


def test_content_that_is_not_a_table_is_refused():
    with pytest.raises(ContentError, match="tabel"):
        parse_content(Card, ["title"])

"""The MED structure from a CSV: every bad line named in Danish, and nothing half imported."""

from __future__ import annotations

import pytest

from facilitator.org.csv_import import EXAMPLE, ImportProblem, parse


def errors(data: bytes) -> list[str]:
    with pytest.raises(ImportProblem) as caught:
        parse(data)
    return caught.value.errors


def test_the_example_parses_with_parents_once():
    parsed = parse(EXAMPLE.encode())
    assert parsed.levels == ["Kommune", "Område", "Arbejdsplads"]
    paths = [p for _, p in parsed.paths]
    assert paths[:3] == [
        ("Favrskov Kommune",),
        ("Favrskov Kommune", "Børn og Familie"),
        ("Favrskov Kommune", "Børn og Familie", "Dagtilbud Nord"),
    ]
    assert ("Favrskov Kommune", "Kultur, Fritid og Ejendomme") in paths
    assert len(paths) == 7  # 1 kommune, 3 områder, 3 arbejdspladser: each parent once
    assert len(set(paths)) == len(paths)


def test_excel_files_windows_1252_commas_tabs_quotes_and_sep_line():
    data = "sep=;\r\nKommune;Forvaltning\r\nSkive;Børn & Unge\r\n".encode("cp1252")
    parsed = parse(data)
    assert parsed.levels == ["Kommune", "Forvaltning"]
    assert parsed.paths[-1][1] == ("Skive", "Børn & Unge")
    assert parse(b"Kommune,Omr\xc3\xa5de\nSkive,\"Kultur, Fritid\"\n").paths[-1][1] == (
        "Skive", "Kultur, Fritid",
    )  # fmt: skip
    assert parse(b"\xef\xbb\xbfKommune\tOmr\n Skive \t  Nord  \n").paths[-1][1] == ("Skive", "Nord")


def test_same_place_written_differently_is_one_place():
    parsed = parse("K;O;A\nSkive;Nord;Skole\nskive ; NORD ;Børnehave\n".encode())
    assert [p for _, p in parsed.paths] == [
        ("Skive",), ("Skive", "Nord"), ("Skive", "Nord", "Skole"), ("Skive", "Nord", "Børnehave"),
    ]  # fmt: skip


def test_every_bad_line_is_reported_in_danish():
    data = (
        "Kommune;Område;Arbejdsplads\n"
        "Skive;Nord;Skole\n"
        "Skive;;Børnehave\n"  # a gap
        "\n"
        "Skive;Nord;Skole;Ekstra\n"  # too many
        f"Skive;{'x' * 130}\n"  # too long
    ).encode()
    assert errors(data) == [
        "Linje 3: «Område» er tom, men «Arbejdsplads» er udfyldt. "
        "Skriv hvilket område stedet hører under.",
        "Linje 5: 4 felter, men overskriften har kun 3 niveauer (Kommune; Område; Arbejdsplads).",
        "Linje 6: «xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…» er for langt til et navn "
        "(højst 120 tegn).",
    ]


def test_empty_files_and_bad_headers():
    assert errors(b"")[0].startswith("Filen er tom.")
    assert errors(b"\n\n")[0].startswith("Filen er tom.")
    assert errors(b"Kommune;Omr\n") == ["Filen har overskriften, men ingen steder under den."]
    assert errors(b"A;B;C;D;E;F;G\nx\n") == ["Linje 1: højst 6 niveauer (overskriften har 7)."]
    assert errors(b"Kommune;;Arbejdsplads\nx\n") == [
        "Linje 1: et niveau i overskriften har intet navn."
    ]
    assert errors(b"\x81\x8d\x8f\x90\x9d") == [
        "Filen kan ikke læses som tekst. Gem den som «CSV UTF-8» i Excel, og prøv igen."
    ]


def test_many_errors_are_cut_short():
    data = ("K;O\n" + "x;;y\n" * 40).encode()
    found = errors(data)
    assert len(found) == 26 and found[-1] == "… og 15 fejl mere."

"""One CSV and one XLSX per subtree for the APV system: one row per item, via the registry."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from facilitator.org.exports import ORG_FORMATS, effects, header

from .conftest import make_link, make_plan, row


def read_csv(resp) -> list[dict]:
    text = resp.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_formats_are_in_the_registry_and_the_columns_in_apv_order():
    assert {f.extension for f in ORG_FORMATS} == {"csv", "xlsx"}
    head = header()
    assert head[:6] == ["Sted", "Problem", "Løsning", "Tovholder", "Deadline", "Status"]
    assert head[6 : 6 + len(effects()[0])] == effects()[0]  # effect, when plans record one


def test_round_csv_one_row_per_item(app, teacher, org, round_id, plans):
    resp = teacher.get(f"/org/rounds/{round_id}/export.csv")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    assert 'filename="handleplaner-testkommune.csv"' in resp.headers["Content-Disposition"]
    rows = read_csv(resp)
    assert [(r["Sted"], r["Løsning"], r["Status"], r["Overskredet"]) for r in rows] == [
        ("Nord › Skole A", "Lydabsorbenter", "Gennemført", "nej"),
        ("Nord › Skole A", "Trivselsdialog på personalemødet", "I gang", "ja"),
        ("Nord › Skole B", "Ny mødestruktur", "Ikke startet", "nej"),
        ("Syd", "Fælles indsats mod støj", "Effekt evalueret", "nej"),
    ]  # the 2023 plan of Dagtilbud D is not in the 2026 round
    first = rows[0]
    assert (first["Problem"], first["Tovholder"]) == ("Støj", "Åse")
    assert first["Deadline"] == "2026-06-01"
    assert first["Handleplan"] == "Handleplan Skole A (Bord 1)" and first["Nr."] == "1"
    # A place's export, without a round, has every plan, the old one too.
    rows = read_csv(teacher.get(f"/org/places/{org['Syd']}/export.csv"))
    assert {r["Løsning"] for r in rows} == {"Gammel række", "Fælles indsats mod støj"}
    assert teacher.get(f"/org/rounds/{round_id}/export.pdf").status_code == 404


def test_xlsx_has_real_dates_text_that_stays_text_and_a_places_sheet(app, teacher, org, round_id):
    make_plan(app, org["Ældre C"], "Plan", [
        row("=HYPERLINK(\"http://x\")", deadline=date(2026, 6, 30), tovholder="+45 1234"),
    ], made=date(2026, 5, 1))  # fmt: skip
    link = make_link(teacher, org["Nord"])
    resp = app.test_client().get(f"{link}/export.xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.get_data()))
    sheet = book["Handleplaner"]
    values = [c.value for c in sheet[2]]
    assert values[0] == "Nord › Ældre C"
    assert values[2] == '=HYPERLINK("http://x")' and sheet.cell(2, 3).data_type == "s"
    assert values[4].date() == date(2026, 6, 30)
    places = [[c.value for c in r] for r in book["Steder"].iter_rows(min_row=2)]
    assert [p[:3] for p in places] == [
        ["Nord", "Område", None],
        ["Nord › Skole A", "Arbejdsplads", "Mangler plan"],
        ["Nord › Skole B", "Arbejdsplads", "Mangler plan"],
        ["Nord › Ældre C", "Arbejdsplads", "Plan færdig"],
    ]
    text = app.test_client().get(f"{link}/export.csv").get_data().decode("utf-8")
    assert "'=HYPERLINK" in text and "'+45 1234" in text  # no formulas in Excel

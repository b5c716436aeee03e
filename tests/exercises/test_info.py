"""The info kind: parsing of its text and points."""

import pytest

from exercises.info import Info
from facilitator.kinds import ContentError


def test_parse_body_and_points_from_lines():
    content = Info().parse({"body": "Velkommen", "points": "Formiddag\n\nEftermiddag\n"})
    assert content.points == ["Formiddag", "Eftermiddag"]
    assert content.show_on_phone is True


def test_parse_rejects_non_text_points():
    with pytest.raises(ContentError, match="liste af tekster"):
        Info().parse({"points": [1, 2]})


def test_notes_stay_in_the_controls_and_a_link_shows_as_a_qr_code(app, teacher):
    from facilitator import workshops
    from facilitator.db import db
    from facilitator.models import Workshop
    from tests.conftest import join, make_workshop, post

    ws = make_workshop(teacher, program="")
    content = {
        "body": "Se filmen om MED-aftalen.",
        "link": "https://video.example.dk/med-aftalen",
        "notes": "Husk at spørge til erfaringerne fra sidst.",
    }
    with app.app_context():
        workshops.add_step(db.get(Workshop, ws["id"]), "info", "Film", content)
    post(teacher, f"/w/{ws['id']}/go/0", page="/")
    phone = join(app, ws["code"], "Pia")
    controls = teacher.get(f"/w/{ws['id']}/fragment").text
    projector = teacher.get(f"/p/{ws['code']}/fragment").text
    on_phone = phone.get(f"/j/{ws['code']}/fragment").text
    assert "Husk at spørge til erfaringerne" in controls
    assert "Husk at spørge" not in projector and "Husk at spørge" not in on_phone
    assert 'data-testid="info-link"' in projector and "<svg" in projector
    assert "video.example.dk/med-aftalen" in projector
    assert 'href="https://video.example.dk/med-aftalen"' in on_phone


def test_a_link_must_be_a_web_address():
    with pytest.raises(ContentError, match="«Link til en film eller side» skal begynde med https"):
        Info().parse({"link": "javascript:alert(1)"})

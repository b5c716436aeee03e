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

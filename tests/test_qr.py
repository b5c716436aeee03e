"""The join QR code encodes the public URL when set, else the address in use."""

import re

import pytest

from facilitator import qr
from facilitator.models import Workshop
from tests.conftest import make_workshop


def decode_svg(svg: str) -> str:
    """Rasterise the SVG path QR and decode it with zxing-cpp."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image, ImageDraw

    size = float(re.search(r'width="([\d.]+)mm"', svg).group(1))
    scale = 12
    img = Image.new("L", (int(size * scale), int(size * scale)), 255)
    draw = ImageDraw.Draw(img)
    path = re.search(r' d="([^"]+)"', svg).group(1)
    for x1, y1, x2, y2 in re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)", path):
        x1, y1, x2, y2 = (float(v) * scale for v in (x1, y1, x2, y2))
        draw.rectangle([x1, y1, x2 - 1, y2 - 1], fill=0)
    results = zxingcpp.read_barcodes(img)
    assert results, "QR code did not decode"
    return results[0].text


def test_qr_uses_the_address_the_projector_was_opened_with(app):
    with app.test_request_context("/p/ABCDEF", base_url="http://10.0.0.7:5000"):
        url = qr.join_url(Workshop(code="ABCDEF"))
        assert url == "http://10.0.0.7:5000/j/ABCDEF"
        assert decode_svg(str(qr.svg(url))) == url


def test_qr_uses_public_url(app, teacher):
    app.config["PUBLIC_URL"] = "https://kursus.example.dk"
    ws = make_workshop(teacher)
    html = teacher.get(f"/p/{ws['code']}").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    assert decode_svg(svg) == f"https://kursus.example.dk/j/{ws['code']}"
    assert f"kursus.example.dk/j/{ws['code']}" in html

"""Pictures are what their bytes say, within 2 MB; hostile SVGs are refused in Danish."""

from __future__ import annotations

import pytest

from facilitator.media.check import JPEG, MAX_BYTES, PNG, SVG, MediaError, check
from tests.media import pictures


def test_png_and_jpeg_are_kept_as_they_are():
    data = pictures.png()
    assert check(data) == (checked := check(data)) and checked.content_type == PNG
    assert checked.data == data
    assert check(pictures.JPEG).content_type == JPEG


def test_a_plain_drawing_is_kept_without_its_editor_metadata():
    out = check(pictures.SVG.encode())
    assert out.content_type == SVG
    text = out.data.decode()
    assert "Møde i MED" in text and "<title>Årshjulet</title>" in text
    assert "inkscape" not in text and "drawn by hand" not in text
    assert 'href="#g"' in text  # a reference inside the file stays
    assert check(out.data).data == out.data  # checking again changes nothing


HOSTILE = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
    "event on a child": '<svg xmlns="http://www.w3.org/2000/svg"><rect onClick="x()"/></svg>',
    "xlink to http": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<use xlink:href="http://evil.example/a.svg#x"/></svg>'
    ),
    "plain href to javascript": (
        '<svg xmlns="http://www.w3.org/2000/svg"><use href="javascript:alert(1)"/></svg>'
    ),
    "image element": (
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>'
    ),
    "foreignObject": (
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns='
        '"http://www.w3.org/1999/xhtml">hej</div></foreignObject></svg>'
    ),
    "url() to http in style": (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        "<rect style=\"fill: url('https://evil.example/p')\"/></svg>"
    ),
    "style element": (
        '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://e.x/a.css);</style>'
        "</svg>"
    ),
    "entity expansion": (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    ),
    "external entity": (
        '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    ),
    "html root": '<svg><html xmlns="http://www.w3.org/1999/xhtml"/></svg>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svgs_are_refused_with_a_danish_reason(name):
    with pytest.raises(MediaError) as refused:
        check(HOSTILE[name].encode())
    message = str(refused.value)
    assert message.startswith(("SVG-filen", "Filen er ikke")), message
    assert "evil" not in message


def test_a_png_renamed_svg_is_a_png_and_an_svg_renamed_png_is_still_checked():
    # The name never counts: the bytes say PNG, so it is stored and served as a PNG.
    assert check(pictures.png()).content_type == PNG
    with pytest.raises(MediaError, match="script"):
        check(HOSTILE["script"].encode())


def test_size_empty_and_unknown_files():
    with pytest.raises(MediaError, match="fylder 2,1 MB, men må højst fylde 2 MB"):
        check(pictures.png(extra=b"x" * MAX_BYTES))
    assert check(pictures.png(extra=b"x" * (MAX_BYTES - 200))).content_type == PNG
    with pytest.raises(MediaError, match="tom"):
        check(b"")
    for data in (b"GIF89a....", b"<html><script>alert(1)</script></html>", b"%PDF-1.7"):
        with pytest.raises(MediaError, match="PNG, JPEG eller SVG"):
            check(data)
    with pytest.raises(MediaError, match="UTF-8"):
        check('<svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16"))
    with pytest.raises(MediaError, match="kan ikke læses"):
        check(b"<svg><rect></svg>")

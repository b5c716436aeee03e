"""A phone's first load stays within its byte budget, compressed and cached for good."""

from __future__ import annotations

import gzip
import re

import brotli
from flask.testing import FlaskClient

from tests.conftest import csrf_token

# Bytes on the wire (gzip) for a page and everything it loads, on a cold cache (issue 15).
BUDGET = 60_000
GZIP = {"Accept-Encoding": "gzip"}
ASSET = re.compile(r'(?:src|href)="(/(?:static/|kinds\.css)[^"]*)"')


def _load(client: FlaskClient, path: str, cached: set[str]) -> tuple[int, list[str]]:
    """Fetch a page and the assets not yet cached, as a browser would; bytes as sent."""
    page = client.get(path, headers=GZIP)
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "gzip", path
    html = gzip.decompress(page.data).decode()
    total, fetched = len(page.data), []
    for url in ASSET.findall(html):
        url = url.replace("&amp;", "&")
        if url in cached:
            continue
        resp = client.get(url, headers=GZIP)
        assert resp.status_code == 200, url
        assert "?v=" in url and "immutable" in resp.headers["Cache-Control"], url
        assert resp.headers.get("Content-Encoding") == "gzip", url
        total += len(resp.data)
        cached.add(url)
        fetched.append(url)
    return total, fetched


def test_join_and_phone_page_fit_the_budget_compressed(app, workshop):
    phone = app.test_client()
    join_bytes, _ = _load(phone, f"/j/{workshop['code']}", set())
    token = csrf_token(phone, f"/j/{workshop['code']}")
    resp = phone.post(f"/j/{workshop['code']}", data={"name": "Pia", "csrf_token": token})
    assert resp.status_code == 302
    cold_bytes, fetched = _load(phone, resp.location, set())
    assert join_bytes <= BUDGET, join_bytes
    assert cold_bytes <= BUDGET, cold_bytes
    assert any("socket.io" in url for url in fetched)
    # The projector's text fitting is not the phone's business.
    assert not any("fit.js" in url for url in fetched)


def test_a_reload_fetches_nothing_again(app, workshop):
    phone = app.test_client()
    cached: set[str] = set()
    _load(phone, f"/j/{workshop['code']}", cached)
    assert cached
    _, again = _load(phone, f"/j/{workshop['code']}", cached)
    assert again == []


def test_assets_are_served_in_brotli_when_asked_and_plain_without(app, workshop):
    client = app.test_client()
    page = client.get(f"/j/{workshop['code']}")
    url = ASSET.findall(page.get_data(as_text=True))
    script = next(u for u in url if u.endswith(".js") or ".js?" in u)
    plain = client.get(script)
    assert "Content-Encoding" not in plain.headers
    br = client.get(script, headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br.headers["Vary"]
    assert brotli.decompress(br.data) == plain.data
    refused = client.get(script, headers={"Accept-Encoding": "br;q=0, gzip"})
    assert refused.headers["Content-Encoding"] == "gzip"

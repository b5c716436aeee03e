"""App-wide promises: health check, security headers, Danish error pages."""

import re

from facilitator.exports import safe_cell


def test_healthz_reports_the_database(app):
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "database": "ok"}


def test_csp_forbids_inline_script(app):
    resp = app.test_client().get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_third_party_assets(app, teacher, workshop):
    for path in ("/", f"/w/{workshop['id']}", f"/p/{workshop['code']}", "/login"):
        html = teacher.get(path).get_data(as_text=True)
        assert "<script>" not in html
        html = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "http://" not in html.replace("http://localhost/j/", "")
        assert "https://" not in html


def test_unknown_page_is_danish(app):
    resp = app.test_client().get("/findes-ikke")
    assert resp.status_code == 404 and "Siden findes ikke" in resp.get_data(as_text=True)


def test_csv_cells_never_become_formulas():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("Ærlig snak") == "Ærlig snak"


def test_each_kinds_own_stylesheet_is_served_with_the_pages(app):
    from exercises import KINDS, stylesheets

    client = app.test_client()
    # Fingerprinted: the URL changes with the content (tests/server/test_ops.py checks caching).
    page = client.get("/setup").get_data(True)
    assert re.search(r'<link rel="stylesheet" href="/kinds.css\?v=[0-9a-f]{12}">', page)
    resp = client.get("/kinds.css")
    assert resp.status_code == 200 and resp.mimetype == "text/css"
    css = resp.get_data(as_text=True)
    assert {p.parent.name for p in stylesheets()} <= set(KINDS)
    for path in stylesheets():
        assert path.read_text(encoding="utf-8") in css
    assert ".ideas-wall" in css and ".rf-phone" in css and ".tip13-phone" in css
    again = client.get("/kinds.css", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304

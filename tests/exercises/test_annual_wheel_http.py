"""Årshjul through the real app: tables fill their year, the projector and calendar show it."""

from __future__ import annotations

import json
import re

from tests.conftest import join, make_workshop, post

SCRIPT = "<script>alert('x')</script>"


def test_tables_fill_their_year_shown_exported_and_as_a_calendar(app, teacher):
    ws = make_workshop(teacher, program="moeder_demo", groups="Bord 1\nBord 2")
    code = ws["code"]
    tables = re.findall(r'name="group" value="(\d+)"', app.test_client().get(f"/j/{code}").text)
    pia, aase = join(app, code, "Pia", tables[0]), join(app, code, "Åse", tables[1])
    assert post(teacher, f"/w/{ws['id']}/go/3", page="/").status_code in (200, 302)
    sid = int(re.search(r"/s/(\d+)", pia.get(f"/j/{code}/fragment").text).group(1))

    def send(phone, **data):
        return post(phone, f"/j/{code}/s/{sid}", data, page=f"/j/{code}")

    new = {"op": "save", "item": "new", "note": ""}
    assert send(pia, **new, title="Budgetdrøftelse", period="9").status_code == 200
    assert send(aase, **new, title=SCRIPT, period="1").status_code == 200
    refused = send(pia, **new, title="APV", period="")
    assert refused.status_code == 422 and "Vælg en måned" in refused.text
    mine = pia.get(f"/j/{code}").text
    assert "September" in mine and "Budgetdrøftelse" in mine and "alert" not in mine
    projector = teacher.get(f"/p/{code}/fragment").text
    assert "Budgetdrøftelse" in projector and "&lt;script&gt;" in projector
    assert SCRIPT not in projector and "Pia" not in projector and "Åse" not in projector
    controls = teacher.get(f"/w/{ws['id']}/fragment").text
    link = re.search(r'href="(/aarshjul/[^"]+\.ics)"', controls).group(1)
    ics = teacher.get(link)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert "SUMMARY:Årshjul: Budgetdrøftelse" in ics.get_data(as_text=True)
    assert app.test_client().get(link).status_code in (302, 401, 404)  # not for strangers
    data = json.loads(teacher.get(f"/w/{ws['id']}/results.json").text)
    result = next(s for s in data["steps"] if s["title"] == "Årshjul for MED-udvalget")["result"]
    assert result["tables"][0]["items"] == [
        {"period": "September", "title": "Budgetdrøftelse", "note": ""}
    ]

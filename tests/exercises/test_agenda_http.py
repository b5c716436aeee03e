"""Dagsorden through the real app: a table builds its agenda, the projector shows the time."""

from __future__ import annotations

import json
import re

from tests.conftest import join, make_workshop, post

SCRIPT = "<script>alert('x')</script>"


def test_a_table_builds_a_prioritised_agenda_shown_and_exported(app, teacher):
    ws = make_workshop(teacher, program="moeder_demo", groups="Bord 1\nBord 2")
    code = ws["code"]
    tables = re.findall(r'name="group" value="(\d+)"', app.test_client().get(f"/j/{code}").text)
    pia, ole = join(app, code, "Pia", tables[0]), join(app, code, "Ole", tables[0])
    aase = join(app, code, "Åse", tables[1])
    assert post(teacher, f"/w/{ws['id']}/go/2", page="/").status_code in (200, 302)
    sid = int(re.search(r"/s/(\d+)", pia.get(f"/j/{code}/fragment").text).group(1))

    def send(phone, **data):
        return post(phone, f"/j/{code}/s/{sid}", data, page=f"/j/{code}")

    new = {"op": "save", "item": "new", "type": "information", "minutes": "15"}
    assert send(pia, **new, title="Ny struktur i afdelingen").status_code == 200
    assert (
        send(ole, **{**new, "type": "beslutning", "minutes": "120"}, title="Budget").status_code
        == 200
    )
    assert send(aase, **new, title=SCRIPT).status_code == 200
    bad = send(ole, **{**new, "minutes": "mange"}, title="APV")
    assert bad.status_code == 422 and "minutter" in bad.text
    # Ole moves Budget to the top; Pia sees the same order after a reload.
    budget = re.search(
        r'ag-item-(\d+)"[^<]*>\s*<div class="ag-line">\s*<span class="ag-pos">2',
        ole.get(f"/j/{code}").text,
    )
    assert send(ole, op="move", item=budget.group(1), dir="up").status_code == 200
    mine = pia.get(f"/j/{code}").text
    assert mine.index("Budget") < mine.index("Ny struktur i afdelingen")
    assert "135 af 120 min" in mine and "15 min for meget" in mine
    assert "Ny struktur" not in aase.get(f"/j/{code}/fragment").text
    projector = teacher.get(f"/p/{code}/fragment").text
    assert "Bord 1" in projector and "135 af 120 min" in projector and "&lt;script&gt;" in projector
    assert SCRIPT not in projector and "Pia" not in projector and "Ole" not in projector
    data = json.loads(teacher.get(f"/w/{ws['id']}/results.json").text)
    result = next(s for s in data["steps"] if s["title"] == "Dagsorden for MED-udvalget")["result"]
    assert [i["title"] for i in result["tables"][0]["items"]] == [
        "Budget",
        "Ny struktur i afdelingen",
    ]
    assert result["plan_candidates"][0]["theme"] == "Budget"

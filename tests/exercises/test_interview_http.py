"""To-trins interview and the goal follow-up over HTTP: roles on the phones, private goals."""

from __future__ import annotations

import re

from facilitator import create_app
from facilitator.live import socketio
from tests.conftest import join, make_workshop, post

INTERVIEW, FOLLOWUP = 1, 3  # positions in exercises/programs/interview_demo.toml
GOALS = {
    "Anna": "Annas mål: sige mere på møderne",
    "Bo": "Bos mål: forstå MED-aftalen",
    "Cem": "Cems mål: lytte bedre",
}


def setup(app, teacher, names=("Anna", "Bo", "Cem")):
    ws = make_workshop(teacher, program="interview_demo")
    phones = {name: join(app, ws["code"], name) for name in names}
    post(teacher, f"/w/{ws['id']}/go/{INTERVIEW}", page="/")
    html = teacher.get(f"/w/{ws['id']}/fragment").get_data(as_text=True)
    step_id = int(re.search(r"/steps/(\d+)/act/start", html).group(1))
    return ws, step_id, phones


def act(teacher, ws, step_id, action, **data):
    resp = post(teacher, f"/w/{ws['id']}/steps/{step_id}/act/{action}", data, page="/")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_data(as_text=True)


def fragment(phone, code) -> str:
    return phone.get(f"/j/{code}/fragment").get_data(as_text=True)


def status(html: str) -> str:
    return re.search(r'data-testid="iv-phone" data-status="([a-z]+)"', html).group(1)


def deadlines(html: str) -> set[str]:
    found = set(re.findall(r'data-deadline="(\d+)"', html))
    assert len(found) == 1, found
    return found


def skip(teacher, ws, step_id) -> None:
    """Press the controls' "skip" button as it is on the screen now."""
    html = teacher.get(f"/w/{ws['id']}/fragment").get_data(as_text=True)
    index = re.search(r'/act/skip" hx-vals=\'\{"index": (\d+)\}\'', html).group(1)
    act(teacher, ws, step_id, "skip", index=index)


def test_a_trio_sees_roles_prompts_and_the_question_and_swaps(app, teacher):
    ws, step_id, phones = setup(app, teacher)
    code = ws["code"]
    act(teacher, ws, step_id, "pair", seed="4")
    for name, phone in phones.items():
        html = fragment(phone, code)
        assert status(html) == "paired"
        shown = re.search(r"Dine makkere: <strong>(\w+) og (\w+)</strong>", html).groups()
        assert sorted(shown) == sorted(n for n in phones if n != name)
    act(teacher, ws, step_id, "start")
    skip(teacher, ws, step_id)  # the think time
    seen = {}
    for _turn in range(3):
        html = {name: fragment(p, code) for name, p in phones.items()}
        roles = {name: status(h) for name, h in html.items()}
        assert sorted(roles.values()) == ["interviewee", "interviewer", "listener"]
        asker = next(n for n, r in roles.items() if r == "interviewer")
        answerer = next(n for n, r in roles.items() if r == "interviewee")
        assert "Hvorfor har du valgt netop det mål?" in html[asker]
        assert "Hvorfor har du valgt netop det mål?" not in html[answerer]
        assert 'data-testid="iv-question"' in html[answerer]
        assert f'data-signal="interviewer-{_turn}"' in html[asker]
        seen[answerer] = asker
        projector = teacher.get(f"/p/{code}/fragment").get_data(as_text=True)
        assert f"Tur {_turn + 1} af 3" in projector
        assert deadlines(projector) == deadlines(html[asker]) == deadlines(html[answerer])
        skip(teacher, ws, step_id)
    assert sorted(seen) == sorted(phones) and sorted(seen.values()) == sorted(phones)
    assert all(status(fragment(p, code)) == "done" for p in phones.values())
    result = teacher.get(f"/w/{ws['id']}/results.json").get_json()
    step = next(s for s in result["steps"] if s["kind"] == "interview")["result"]
    assert step["pairs"][0]["size"] == 3 and len(step["phases"]) == 4


def test_goals_never_reach_another_phone_the_projector_or_the_controls(app, teacher):
    ws, step_id, phones = setup(app, teacher)
    code = ws["code"]
    act(teacher, ws, step_id, "start", seed="1")
    for _ in range(4):
        skip(teacher, ws, step_id)
    sockets = {
        name: socketio.test_client(app, flask_test_client=p, auth={"screen": "phone", "code": code})
        for name, p in phones.items()
    }
    for s in sockets.values():
        s.get_received()
    for name, phone in phones.items():
        resp = post(phone, f"/j/{code}/s/{step_id}", {"what": "goal", "text": GOALS[name]},
                    page=f"/j/{code}")  # fmt: skip
        assert resp.status_code == 200 and GOALS[name] in resp.get_data(as_text=True)
    # Edited later in the same step: the new text replaces the old.
    post(phones["Anna"], f"/j/{code}/s/{step_id}", {"what": "goal", "text": GOALS["Anna"] + "!"},
         page=f"/j/{code}")  # fmt: skip
    GOALS["Anna"] += "!"

    def private(html: str, owner: str | None) -> None:
        for name, goal in GOALS.items():
            assert (goal in html) == (name == owner), (owner, name)

    for name, phone in phones.items():
        private(fragment(phone, code), name)
        pushed = [e["args"][0]["html"] for e in sockets[name].get_received()]
        for html in pushed:
            private(html.replace(GOALS[name], ""), None)  # its own goal, at most
    controls = teacher.get(f"/w/{ws['id']}/fragment").get_data(as_text=True)
    private(controls, None)
    assert re.search(r"<strong>3</strong> af 3 har skrevet deres mål", controls)
    private(teacher.get(f"/p/{code}/fragment").get_data(as_text=True), None)
    private(teacher.get(f"/w/{ws['id']}/results.json").get_data(as_text=True), None)
    private(teacher.get(f"/w/{ws['id']}/results.csv").get_data(as_text=True), None)

    # The follow-up, later in the course: each sees their own goal back, and only theirs.
    dea = join(app, code, "Dea")  # came on day 2: no goal yet
    post(teacher, f"/w/{ws['id']}/go/{FOLLOWUP}", page="/")
    for name, phone in phones.items():
        html = fragment(phone, code)
        private(html, name)
        assert 'data-testid="gf-goal"' in html
    html = fragment(dea, code)
    private(html, None)
    assert "Du har ikke skrevet et mål endnu" in html
    private(teacher.get(f"/p/{code}/fragment").get_data(as_text=True), None)
    followup = teacher.get(f"/w/{ws['id']}/fragment").get_data(as_text=True)
    private(followup, None)
    step_id = int(re.search(r"/j/[A-Z0-9]+/s/(\d+)", fragment(dea, code)).group(1))
    # Bo edits his goal and reflects; Dea writes a goal now.
    url = f"/j/{code}/s/{step_id}"
    post(phones["Bo"], url, {"what": "goal", "text": "Bos nye mål"}, page=f"/j/{code}")
    answer = {"what": "reflection", "a0": "Bos refleksion om aftalen", "a2": "Ringe til Jens"}
    post(phones["Bo"], url, answer, page=f"/j/{code}")
    post(dea, url, {"what": "goal", "text": "Deas mål"}, page=f"/j/{code}")
    bo = fragment(phones["Bo"], code)
    assert "Bos nye mål" in bo and "Bos refleksion om aftalen" in bo and "Ringe til Jens" in bo
    assert "Deas mål" in fragment(dea, code)
    for other in (fragment(phones["Anna"], code), fragment(dea, code)):
        assert "Bos nye mål" not in other and "Bos refleksion" not in other
    controls = teacher.get(f"/w/{ws['id']}/fragment").get_data(as_text=True)
    projector = teacher.get(f"/p/{code}/fragment").get_data(as_text=True)
    results = teacher.get(f"/w/{ws['id']}/results.json").get_data(as_text=True)
    for html in (controls, projector, results):
        assert "Bos nye mål" not in html and "Deas mål" not in html and "refleksion om" not in html
    assert re.search(r"<strong>1</strong> af 4 har svaret", controls)


def test_a_round_goes_on_from_the_same_deadline_after_a_server_restart(app, teacher):
    ws, step_id, phones = setup(app, teacher, names=("Anna", "Bo"))
    code = ws["code"]
    act(teacher, ws, step_id, "pair", seed="4")
    act(teacher, ws, step_id, "start")
    skip(teacher, ws, step_id)  # the think time: turn 1 runs
    before = {name: fragment(p, code) for name, p in phones.items()}
    roles = {name: status(h) for name, h in before.items()}
    assert sorted(roles.values()) == ["interviewee", "interviewer"]
    deadline = deadlines(before["Anna"])

    # A new server process on the same database; the phone keeps its cookie.
    again = create_app(dict(app.config))
    phone = again.test_client()
    phone.set_cookie("session", phones["Anna"].get_cookie("session").value)
    html = fragment(phone, code)
    assert status(html) == roles["Anna"] and deadlines(html) == deadline
    projector = teacher.get(f"/p/{code}/fragment").get_data(as_text=True)
    assert "Tur 1 af 2" in projector and deadlines(projector) == deadline

    # The round goes on from there: the next turn swaps the roles.
    skip(teacher, ws, step_id)
    swapped = {name: status(fragment(p, code)) for name, p in phones.items()}
    assert swapped == {
        name: ("interviewee" if r == "interviewer" else "interviewer") for name, r in roles.items()
    }
    again.extensions["engine"].dispose()

"""To-trins interview: the goal made optional, trin 2 at the table, and the texts as content."""

from __future__ import annotations

import pytest

from exercises.interview import GOAL_PROMPT, logic
from facilitator.kinds import Rejected
from tests.exercises.test_interview import Room, kind, started

HOSTILE = "<script>alert('æøå')</script> & «citat»"


def render(app, room: Room, t: float, screen: str, pid: int | None = None) -> str:
    """One of the kind's three templates as the screen would show it at time `t`."""
    view = room.view(t, pid)
    ctx = kind.context(screen, view)
    with app.test_request_context():
        template = app.jinja_env.get_template(f"interview/{screen}.html")
        return template.render(
            **ctx, act_url=lambda action: f"/act/{action}", submit_url="/submit", step=room.step
        )


def test_defaults_keep_todays_texts_and_behaviour():
    content = kind.parse({"question": "x"})
    assert content.goal and not content.present
    assert content.goal_prompt == GOAL_PROMPT
    assert (content.interviewer_label, content.listener_label) == (
        "Du interviewer",
        "Du lytter med",
    )
    room = started(4)
    assert "present_ms" in room.step.state and room.step.state["present_ms"] == 0
    # Think 30 s and two turns of 120 s: the goal follows at once, as before.
    assert room.phone(30 + 240 + 1, 1)["round_phase"] == logic.GOAL


def test_the_goal_phase_can_be_switched_off(app):
    room = started(4, goal=False)
    end = 30 + 240 + 1
    view = room.view(end, 1)
    with pytest.raises(Rejected, match="ikke skrives et mål"):
        kind.accept(view, {"what": "goal", "text": "Mit mål"})
    phone = render(app, room, end, "phone", 1)
    assert 'data-status="done"' in phone and "textarea" not in phone
    assert "personlige mål" not in phone
    projector = render(app, room, end, "projector")
    assert "Tak for interviewene" in projector and "Skriv dit personlige mål" not in projector
    controls = render(app, room, end, "controls")
    assert "har skrevet deres mål" not in controls and "uden personligt mål" in controls
    # A latecomer after the turns is told the interviews ran, and not asked for a goal.
    late = room.join(end + 5)
    assert "Skriv dit mål her" not in render(app, room, end + 6, "phone", late)


def test_trin_2_gives_the_table_time_after_the_turns_and_can_be_ended(app):
    room = started(4, present=True, present_seconds=240)
    after_turns = 30 + 240 + 10
    pos = kind.round(room.view(after_turns)).pos
    assert pos.kind == logic.PRESENT and pos.left_ms == 230_000
    me = room.phone(after_turns, 1)
    assert me["status"] == "present" and me["partners"] and me["timer"]
    phone = render(app, room, after_turns, "phone", 1)
    assert "Præsentér din makkers mål for bordet" in phone and "Din makker: <strong>" in phone
    assert 'data-testid="iv-present"' in phone
    assert "Trin 2: fortæl bordet" in render(app, room, after_turns, "projector")
    # Nobody joins an interview during trin 2: a latecomer is outside.
    late = room.join(after_turns + 1)
    assert room.phone(after_turns + 2, late)["status"] == "outside"
    # A pause holds trin 2's clock; the instructor can end it early.
    room.act(after_turns + 5, "pause")
    assert kind.round(room.view(after_turns + 500)).pos.kind == logic.PRESENT
    room.act(after_turns + 500, "resume")
    room.act(after_turns + 501, "skip", index=str(pos.index))
    assert kind.round(room.view(after_turns + 502)).pos.kind == logic.GOAL
    results = kind.results(room.view(after_turns + 502))
    assert results["finished"] and results["phases"][-1]["phase"].startswith("Trin 2")


def test_changing_present_after_the_start_does_not_move_a_running_round():
    room = started(4)
    room.content = kind.parse({"question": "x", "present": True, "think_seconds": 30})
    assert kind.round(room.view(30 + 240 + 1)).pos.kind == logic.GOAL


def test_role_labels_and_texts_come_from_the_content_escaped(app):
    raw = {"listener_label": "Du er observatør", "listener_verb": "observerer",
           "interviewer_tip": HOSTILE, "turn1_how": "Stil spørgsmål, og lyt."}  # fmt: skip
    room = started(3, think_seconds=0, **raw)
    roles = {pid: room.phone(1, pid) for pid in (1, 2, 3)}
    listener = next(pid for pid, c in roles.items() if c["status"] == logic.LISTENER)
    asker = next(pid for pid, c in roles.items() if c["status"] == logic.INTERVIEWER)
    assert roles[listener]["role_label"] == "Du er observatør"
    html = render(app, room, 1, "phone", asker)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    projector = render(app, room, 1, "projector")
    assert "observerer" in projector and "Stil spørgsmål, og lyt." in projector


def test_the_intro_names_the_turn_length():
    room = Room(2, seconds=90)
    ctx = kind.context("projector", room.view(0))
    assert ctx["intro"] == (
        "I interviewer hinanden to og to: 90 sekunder hver. I bytter roller, når tiden er gået."
    )
    room = Room(2, intro="Snak sammen i {tid}.", seconds=60)
    assert kind.context("projector", room.view(0))["intro"] == "Snak sammen i 1 minut."


def test_a_long_danish_text_is_refused_by_its_label():
    with pytest.raises(Exception, match="Tekst: trin 2"):
        kind.parse({"question": "x", "present_text": "æ" * 401})


def test_the_editor_folds_the_screen_texts_and_can_switch_the_goal_off(app, teacher):
    from tests.conftest import post
    from tests.programs.test_views import BASE, stored

    resp = post(teacher, f"{BASE}/bibliotek/interview_demo/kopi", page=f"{BASE}/")
    program_id = int(resp.location.rstrip("/").split("/")[-1])
    url = f"{BASE}/{program_id}/trin/2"
    html = teacher.get(url).get_data(as_text=True)
    assert 'data-testid="folded-texts"' in html
    assert 'placeholder="Du lytter med"' in html and 'name="goal" value="1" checked' in html
    form = {"version": "1", "title": "Hils på hinanden", "question": "Hvem er du?",
            "seconds": "90", "think_seconds": "0", "pairing": "random",
            "listener_label": "Du er observatør", "present": "1"}  # fmt: skip
    resp = post(teacher, url, form, page=url)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    content = stored(app, program_id).steps[1]["content"]
    assert content["goal"] is False and content["present"] is True
    assert content["listener_label"] == "Du er observatør"
    # A changed text is no longer folded away: it shows among the other fields.
    html = teacher.get(url).get_data(as_text=True)
    folded = html[html.index('data-testid="folded-texts"') :]
    assert 'value="Du er observatør"' in html and 'value="Du er observatør"' not in folded


def test_trin_2_names_both_partners_in_a_trio(app):
    room = started(3, think_seconds=0, present=True)
    phone = render(app, room, 3 * 120 + 5, "phone", 1)
    assert 'data-testid="iv-present"' in phone and "Dine makkere: <strong>" in phone

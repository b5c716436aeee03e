"""A running workshop with every role signed in, built through the real UI, for the fuzzer.

Roles: an anonymous visitor, two phones in different groups, the owning instructor, another
instructor (logged in, but not teaching this workshop) and a plan token holder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from facilitator import workshops
from facilitator.db import db
from facilitator.models import Instructor, Participant, Step, Workshop
from facilitator.org.models import Place, ReadLink, Round
from facilitator.plans.models import ActionItem, ActionPlan
from facilitator.plans.service import renew_token
from facilitator.programs.models import Program
from facilitator.views.auth import create_instructor
from tests.conftest import PASSWORD, csrf_token, join, make_workshop, post

# Programs that together hold every exercise kind of the library.
PROGRAMS = ("med_grund_dag1", "med_grund_dag2", "klippekort_godt_med_samarbejde", "med_tip13")
MORE_PROGRAMS = ("interview_demo", "store_med_dag", "fair_talk_demo")
OWNER, OTHER = "ulla@example.dk", "ole@example.dk"
ROLES = ("anonymous", "phone", "phone2", "instructor", "other_instructor", "plan")


@dataclass
class World:
    """What the fuzzer may aim at: clients per role and the real ids and words of the app."""

    app: Flask
    clients: dict[str, FlaskClient] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    ints: dict[str, list[int]] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)
    workshop_id: int = 0
    code: str = ""
    rebuilds: int = 0

    def client(self, role: str) -> FlaskClient:
        return self.clients[role]


def log_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/login")
    resp = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert resp.status_code == 302, resp.status_code
    return client


def build(app: Flask, world: World | None = None) -> World:
    """Create (or re-create after a deletion) the workshop, its people, a plan, a program."""
    world = world or World(app)
    with app.app_context():
        if db.scalar(select(Instructor).where(Instructor.email == OWNER)) is None:
            create_instructor("Ulla Underviser", OWNER, PASSWORD)
            create_instructor("Ole Anden", OTHER, PASSWORD)
    world.clients["instructor"] = teacher = log_in(app, OWNER)
    world.clients["other_instructor"] = log_in(app, OTHER)
    ws = make_workshop(teacher, program=PROGRAMS[0], groups="Bord 1\nBord 2")
    world.workshop_id, world.code = ws["id"], ws["code"]
    for program in PROGRAMS[1:] + MORE_PROGRAMS:
        post(teacher, f"/w/{ws['id']}/append", {"program": program}, page="/")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        groups = [str(g.id) for g in workshop.groups]
        plan_step = next(s for s in workshop.steps if s.kind == "action_plan")
        plan_position, plan_step_id = plan_step.position, plan_step.id
    world.clients["phone"] = join(app, ws["code"], "Pia", group=groups[0])
    world.clients["phone2"] = join(app, ws["code"], "Kim", group=groups[1])
    post(teacher, f"/w/{ws['id']}/participants", {"name": "Uden Telefon", "group": groups[0]})
    # The phone adds a row on the day: that makes the group's handleplan and its tokens.
    post(teacher, f"/w/{ws['id']}/go/{plan_position}", page="/")
    row = {"theme": "Støj", "activity": "Lydabsorbenter", "tovholder": "Åse"}
    post(world.clients["phone"], f"/plan/live/{plan_step_id}/items", row, page=f"/j/{ws['code']}")
    post(teacher, f"/w/{ws['id']}/go/0", page="/")
    post(teacher, "/programmer/", {"title": "Mit program"}, page="/programmer/")
    build_org(app, teacher)
    world.clients["anonymous"] = app.test_client()
    refresh(world)
    plan_holder = app.test_client()
    token = world.words["token"][0]
    post(plan_holder, f"/plan/{token}/me", {"by_name": "Tove"}, page=f"/plan/{token}")
    world.clients["plan"] = plan_holder
    for role, client in world.clients.items():
        page = f"/j/{world.code}" if role.startswith("phone") else "/login"
        world.csrf[role] = csrf_token(client, page if role != "plan" else f"/plan/{token}")
    return world


def build_org(app: Flask, teacher: FlaskClient) -> None:
    """The organisation (facilitator/org): a tree from a CSV, a round and a read link."""
    import io

    med = "Kommune;Område;Arbejdsplads\nFuzzkommune;Nord;Skole A\nFuzzkommune;Syd;Skole B\n"
    upload = {"file": (io.BytesIO(med.encode()), "med.csv")}
    post(teacher, "/org/import", upload, page="/org/", content_type="multipart/form-data")
    with app.app_context():
        root = db.scalar(select(Place.id).where(Place.name == "Fuzzkommune"))
    post(teacher, f"/org/places/{root}/rounds", {"year": "2026"}, page="/org/")
    post(teacher, f"/org/places/{root}/links", {"label": "KommuneMED"}, page="/org/")


def refresh(world: World) -> None:
    """Read the real ids and tokens again (the fuzzer adds, removes and renews them)."""
    with world.app.app_context():
        workshop = db.get(Workshop, world.workshop_id)
        steps = list(db.scalars(select(Step.id).where(Step.workshop_id == world.workshop_id)))
        people = select(Participant.id).where(Participant.workshop_id == world.workshop_id)
        plans = list(db.scalars(select(ActionPlan)))
        for plan in plans:
            if plan.edit_token is None or plan.view_token is None:
                renew_token(plan, "edit" if plan.edit_token is None else "view")
        plans = list(db.scalars(select(ActionPlan)))
        count = len(workshop.steps) if workshop else 0
        world.ints = {
            "workshop_id": [world.workshop_id],
            "step_id": steps,
            "pid": list(db.scalars(people)),
            "item_id": list(db.scalars(select(ActionItem.id))),
            "program_id": list(db.scalars(select(Program.id))),
            "instructor_id": list(db.scalars(select(Instructor.id))),
            "plan_id": [p.id for p in plans],
            "number": [0, 1, 2],
            "position": list(range(-1, count)),
            "place_id": list(db.scalars(select(Place.id))),
            "round_id": list(db.scalars(select(Round.id))),
            "link_id": list(db.scalars(select(ReadLink.id))),
        }
        world.words = {
            "code": [world.code, world.code.lower()],
            "token": [t for p in plans for t in (p.edit_token, p.view_token) if t]
            + list(db.scalars(select(ReadLink.token))),
        }


def repair(world: World) -> None:
    """Undo what a lucky fuzzed request broke (logout, closing, removal), or rebuild."""
    app = world.app
    with app.app_context():
        workshop = db.get(Workshop, world.workshop_id)
        anonymised = workshop is not None and any(
            p.reentry_code.startswith("x")
            for p in db.scalars(select(Participant).where(Participant.workshop_id == workshop.id))
        )
        if workshop is None or anonymised:
            world.rebuilds += 1
            build(app, world)
            return
        group = str(workshop.groups[0].id) if workshop.groups else None
        if workshop.status == "closed":
            workshops.set_status(workshop, "running")
    for role, email in (("instructor", OWNER), ("other_instructor", OTHER)):
        if world.clients[role].get("/").status_code != 200:
            world.clients[role] = log_in(app, email)
            world.csrf[role] = csrf_token(world.clients[role], "/login")
    for role, name in (("phone", "Pia"), ("phone2", "Kim")):
        if world.clients[role].get(f"/j/{world.code}/fragment").status_code != 200:
            world.clients[role] = join(app, world.code, name, group=group)
            world.csrf[role] = csrf_token(world.clients[role], f"/j/{world.code}")
    refresh(world)


def sessions_ok(world: World) -> dict[str, Any]:
    """Each role's session works as that role (a check that the world is what it claims)."""
    code, token = world.code, world.words["token"][0]
    return {
        "phone": world.clients["phone"].get(f"/j/{code}/fragment").status_code,
        "instructor": world.clients["instructor"].get(f"/w/{world.workshop_id}").status_code,
        "other_instructor": world.clients["other_instructor"]
        .get(f"/w/{world.workshop_id}")
        .status_code,
        "plan": world.clients["plan"].get(f"/plan/{token}").status_code,
    }

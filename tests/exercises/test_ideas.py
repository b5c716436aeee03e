"""Idétavle, pure logic: content, notes, vote limits, merge/move/hide, ranking ties, results."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from exercises.ideas import Ideas
from exercises.ideas.logic import rank
from facilitator.kinds import ContentError, Rejected, StepView

kind = Ideas()
NOW = datetime(2026, 2, 26, 13, 5, tzinfo=UTC)
G1, G2 = SimpleNamespace(id=1, name="Bord 1"), SimpleNamespace(id=2, name="Bord 2")
PIA = SimpleNamespace(id=1, name="Pia", group_id=1)
OLE = SimpleNamespace(id=2, name="Ole", group_id=1)
KIM = SimpleNamespace(id=3, name="Kim", group_id=2)
PEOPLE = [PIA, OLE, KIM]


class Room:
    """Rows and state of one idea board, changed the way the core would change them."""

    def __init__(self, **content) -> None:
        raw = {"prompt": "Hvad fylder?", **content}
        self.content = kind.parse(raw)
        self.state = kind.initial_state(self.content)
        self.rows: list[SimpleNamespace] = []

    def view(self, who=None) -> StepView:
        workshop = SimpleNamespace(groups=[G1, G2], min_anonymous=5)
        step = SimpleNamespace(state=self.state, title="Idétavle")
        return StepView(workshop, step, self.content, NOW, list(self.rows), PEOPLE, participant=who)

    def send(self, who, **data) -> SimpleNamespace:
        sub = kind.accept(self.view(who), data)
        owner = f"p:{who.id}"
        row = next((r for r in self.rows if r.owner == owner and r.slot == sub.slot), None)
        if row is None:
            row = SimpleNamespace(
                id=len(self.rows) + 1, owner=owner, slot=sub.slot, group_id=who.group_id
            )
            self.rows.append(row)
        row.payload = sub.payload
        return row

    def note(self, who, text: str, category: int = 0, slot: int | None = None) -> int:
        if slot is None:
            slot = kind.board(self.view(who)).next_slot.get(who.id, 1)
        return self.send(who, op="note", slot=str(slot), text=text, category=str(category)).id

    def dot(self, who, target: str, count: int) -> None:
        self.send(who, op="dot", target=target, count=str(count))

    def act(self, action: str, **data) -> dict:
        before = copy.deepcopy(self.state)
        new = kind.apply(self.view(), action, data)
        assert self.state == before, "apply mutated the state in place"
        self.state = new
        return new

    def board(self):
        return kind.board(self.view())


# ---- content -------------------------------------------------------------------------------


def test_content_defaults_and_limits():
    c = kind.parse({"prompt": "Hvad fylder?"})
    assert (c.dots, c.max_per_item, c.max_chars, c.max_notes) == (3, 3, 200, 5)
    assert c.categories == [] and not c.named and not c.per_group
    c = kind.parse({"prompt": "X", "dots": 5, "max_per_item": "2", "categories": "A\nB\n"})
    assert (c.dots, c.max_per_item, c.categories) == (5, 2, ["A", "B"])
    assert kind.parse({"prompt": "X", "dots": 4, "max_per_item": ""}).max_per_item == 4
    with pytest.raises(ContentError, match="mellem 1 og 3"):
        kind.parse({"prompt": "X", "max_per_item": 4})
    with pytest.raises(ContentError, match="højst have 8"):
        kind.parse({"prompt": "X", "categories": [f"K{i}" for i in range(9)]})
    with pytest.raises(ContentError, match="mangler"):
        kind.parse({"categories": ["A"]})
    assert kind.parse(kind.example).categories[3] == "Arbejdsmiljøforhold"


# ---- notes from the phones -----------------------------------------------------------------


def test_notes_have_a_length_limit_with_a_clear_danish_message():
    room = Room(max_chars=20)
    with pytest.raises(Rejected, match="for lang: højst 20 tegn, og du har skrevet 21"):
        room.note(PIA, "x" * 21)
    with pytest.raises(Rejected, match="Skriv noget"):
        room.note(PIA, "   ")
    room.note(PIA, "  mange   mellemrum  ")
    assert [n.text for n in room.board().notes.values()] == ["mange mellemrum"]


def test_categories_must_be_chosen_and_exist():
    room = Room(categories=["MED-udvalget", "Arbejdsmiljøgruppen"])
    with pytest.raises(Rejected, match="Vælg, hvor sedlen skal hænge"):
        room.send(PIA, op="note", slot="1", text="Støj")
    with pytest.raises(Rejected, match="Vælg, hvor"):
        room.note(PIA, "Støj", category=2)
    room.note(PIA, "Støj", category=1)
    wall = room.board().walls[0]
    assert [(label, len(units)) for _i, label, units in wall.columns] == [
        ("MED-udvalget", 0),
        ("Arbejdsmiljøgruppen", 1),
    ]


def test_per_participant_cap_edit_delete_and_double_tap():
    room = Room(max_notes=2)
    first = room.note(PIA, "Støj", slot=1)
    assert room.note(PIA, "Støj", slot=1) == first  # a double tap: the same slot, one note
    room.note(PIA, "Travlhed", slot=2)
    with pytest.raises(Rejected, match="2 sedler op, og det er det højeste antal"):
        room.note(PIA, "En tredje", slot=3)
    room.note(PIA, "Travlhed om morgenen", slot=2)  # an edit is not a new note
    room.send(PIA, op="delete", slot="1")
    room.send(PIA, op="delete", slot="1")  # deleting twice is still one deletion
    with pytest.raises(Rejected, match="slettet"):
        room.note(PIA, "Tilbage igen", slot=1)
    assert room.board().next_slot[PIA.id] == 3  # deleted slots are never reused
    room.note(PIA, "En tredje", slot=3)
    assert sorted(n.text for n in room.board().notes.values()) == [
        "En tredje",
        "Travlhed om morgenen",
    ]
    with pytest.raises(Rejected, match="højeste antal sedler"):
        room.note(OLE, "x", slot=151)


def test_phases_and_lock_decide_what_phones_may_do():
    room = Room()
    nid = room.note(PIA, "Støj")
    room.act("sort")
    room.note(PIA, "Støj i kantinen", slot=1)  # own notes can still be corrected
    with pytest.raises(Rejected, match="nye sedler"):
        room.note(OLE, "Ny")
    with pytest.raises(Rejected, match="ikke startet"):
        room.dot(OLE, f"n:{nid}", 1)
    room.act("vote")
    with pytest.raises(Rejected, match="ikke ændres nu"):
        room.note(PIA, "Rettelse", slot=1)
    room.dot(OLE, f"n:{nid}", 1)
    room.act("lock")
    with pytest.raises(Rejected, match="låst"):
        room.dot(OLE, f"n:{nid}", 2)
    room.act("unlock")
    room.act("reveal")
    with pytest.raises(Rejected, match="slut"):
        room.dot(OLE, f"n:{nid}", 2)


# ---- dot-voting ----------------------------------------------------------------------------


def voting_room(**content) -> tuple[Room, list[int]]:
    room = Room(**content)
    ids = [room.note(PIA, t) for t in ("Støj", "Travlhed", "Mødekultur", "Indeklima")]
    room.act("vote")
    return room, ids


def test_each_person_has_n_dots_and_at_most_m_on_one():
    room, (a, b, c, _d) = voting_room(dots=3, max_per_item=2)
    room.dot(OLE, f"n:{a}", 1)
    room.dot(OLE, f"n:{a}", 2)
    with pytest.raises(Rejected, match="højst give 2 prikker til samme"):
        room.dot(OLE, f"n:{a}", 3)
    room.dot(OLE, f"n:{b}", 1)
    with pytest.raises(Rejected, match="brugt alle dine 3 prikker"):
        room.dot(OLE, f"n:{c}", 1)
    room.dot(OLE, f"n:{a}", 1)  # one back ...
    room.dot(OLE, f"n:{c}", 1)  # ... and spent elsewhere
    board = room.board()
    assert board.spent[OLE.id] == {f"n:{a}": 1, f"n:{b}": 1, f"n:{c}": 1}
    assert [u.dots for u in board.walls[0].units] == [1, 1, 1, 0]
    with pytest.raises(Rejected, match="Ugyldigt"):
        room.dot(OLE, f"n:{a}", -1)
    with pytest.raises(Rejected, match="ikke længere"):
        room.dot(OLE, "n:999", 1)


def test_a_double_tap_sets_the_same_count_and_spends_nothing_twice():
    room, (a, *_rest) = voting_room()
    # The phone sends the absolute count it shows plus one: two taps, one dot.
    room.dot(PIA, f"n:{a}", 1)
    room.dot(PIA, f"n:{a}", 1)
    board = room.board()
    assert board.units[f"n:{a}"].dots == 1 and sum(board.spent[PIA.id].values()) == 1


def test_dots_on_a_theme_and_on_its_notes_share_the_per_item_limit():
    room, (a, b, *_rest) = voting_room(dots=3, max_per_item=2)
    room.dot(OLE, f"n:{a}", 1)
    room.act("merge", items=[f"n:{a}", f"n:{b}"], title="Arbejdspres")
    tid = next(k for k in room.board().units if k.startswith("t:"))
    assert room.board().units[tid].dots == 1  # the note's dot follows it into the theme
    room.dot(OLE, tid, 1)
    with pytest.raises(Rejected, match="højst give 2"):
        room.dot(OLE, f"n:{b}", 1)


def test_dots_on_a_hidden_note_come_back_and_limits_hold_when_it_returns():
    room, (a, b, *_rest) = voting_room(dots=2)
    room.dot(OLE, f"n:{a}", 2)
    room.act("hide", item=f"n:{a}")
    assert OLE.id not in room.board().spent  # the two dots are free again
    room.dot(OLE, f"n:{b}", 2)
    room.act("unhide", item=f"n:{a}")
    board = room.board()
    assert sum(board.spent[OLE.id].values()) == 2  # never more than the two dots


def test_per_group_walls_vote_only_on_their_own_wall():
    room = Room(per_group=True)
    mine = room.note(PIA, "Bord 1's seddel")
    theirs = room.note(KIM, "Bord 2's seddel")
    room.act("vote")
    room.dot(OLE, f"n:{mine}", 1)
    with pytest.raises(Rejected, match="egen gruppes tavle"):
        room.dot(OLE, f"n:{theirs}", 1)
    walls = room.board().walls
    assert [(w.name, w.notes, w.dots, w.voters) for w in walls] == [
        ("Bord 1", 1, 1, 1),
        ("Bord 2", 1, 0, 0),
    ]
    with pytest.raises(Rejected, match="forskellige gruppers"):
        room.act("merge", items=[f"n:{mine}", f"n:{theirs}"], title="Fælles")


# ---- the instructor: merge, move, edit, hide ----------------------------------------------


def test_merge_move_theme_into_theme_and_dissolve():
    room = Room(categories=["A", "B"])
    a, b, c = (room.note(PIA, t, category=i % 2) for i, t in enumerate(("Støj", "Larm", "Lys")))
    room.act("merge", items=[f"n:{a}", f"n:{b}"], title="")
    board = room.board()
    theme = next(u for u in board.units.values() if u.kind == "theme")
    assert theme.title == "Støj" and theme.category == 0  # from the first note
    assert [n.text for n in theme.notes] == ["Støj", "Larm"]
    room.act("edit", item=theme.key, text="Støj og larm")
    room.act("move", item=f"n:{c}", to="new")
    second = next(k for k in room.board().units if k.startswith("t:") and k != theme.key)
    room.act("move", item=second, to="c:1")
    assert room.board().units[second].category == 1
    room.act("move", item=second, to=theme.key)  # a theme into a theme
    board = room.board()
    assert [u.key for u in board.units.values()] == [theme.key]
    assert [n.text for n in board.units[theme.key].notes] == ["Støj", "Larm", "Lys"]
    room.act("move", item=f"n:{b}", to="out")
    room.act("dissolve", item=theme.key)
    board = room.board()
    assert sorted(u.kind for u in board.units.values()) == ["note", "note", "note"]
    with pytest.raises(Rejected, match="findes ikke"):
        room.act("move", item=theme.key, to="c:0")
    with pytest.raises(Rejected, match="Vælg, hvor"):
        room.act("move", item=f"n:{a}", to="c:7")


def test_move_to_another_category_and_the_writers_later_edit():
    room = Room(categories=["A", "B"])
    a = room.note(PIA, "Støj", category=0)
    room.act("move", item=f"n:{a}", to="c:1")
    assert room.board().notes[a].category == 1
    room.act("edit", item=f"n:{a}", text="Støj i frokoststuen")
    note = room.board().notes[a]
    assert note.text == "Støj i frokoststuen" and note.edited and note.written == "Støj"
    room.note(PIA, "Støj", category=0, slot=1)  # sent again: a newer version of hers
    note = room.board().notes[a]
    assert (note.text, note.category, note.edited) == ("Støj", 0, False)
    room.act("edit", item=f"n:{a}", text="Støj i frokoststuen")
    assert room.board().notes[a].text == "Støj i frokoststuen"
    # The writer changes her note later: her newer text shows, in the column she chose.
    room.note(PIA, "Støj ved kopimaskinen", category=0, slot=1)
    note = room.board().notes[a]
    assert (note.text, note.category, note.edited) == ("Støj ved kopimaskinen", 0, False)
    with pytest.raises(Rejected, match="tom"):
        room.act("edit", item=f"n:{a}", text="  ")


def test_hide_keeps_the_note_off_the_wall_and_in_the_results():
    room = Room(named=True)
    a = room.note(PIA, "Noget uheldigt om Ole")
    b = room.note(OLE, "Bedre overlap")
    room.act("hide", item=f"n:{a}")
    board = room.board()
    assert list(board.units) == [f"n:{b}"] and [n.id for n in board.hidden] == [a]
    result = kind.results(room.view())
    hidden = next(n for n in result["notes"] if n["id"] == a)
    assert hidden["hidden"] is True and hidden["author"] == "Pia"
    assert all("Ole" not in c["theme"] for c in result["plan_candidates"])
    room.act("merge", items=[f"n:{b}"], title="Vagtskifte")
    tid = next(k for k in room.board().units if k.startswith("t:"))
    with pytest.raises(Rejected, match="Kun sedler"):
        room.act("hide", item=tid)
    room.act("unhide", item=f"n:{a}")
    assert room.board().notes[a].hidden is False


# ---- ranking -------------------------------------------------------------------------------


def test_ranking_ties_share_a_place():
    units = [SimpleNamespace(dots=d, order=i, place=0, shared=False) for i, d in enumerate(
        [2, 5, 0, 5, 1, 2]
    )]  # fmt: skip
    ranked = rank(units)
    assert [(u.dots, u.place, u.shared) for u in ranked] == [
        (5, 1, True),
        (5, 1, True),
        (2, 3, True),
        (2, 3, True),
        (1, 5, False),
    ]
    assert [u.order for u in ranked[:2]] == [1, 3]  # ties keep wall order


def test_results_offer_the_top_themes_as_plan_candidates_per_group():
    room = Room(per_group=True, categories=["Arbejdsmiljø", "Samarbejde"])
    a = room.note(PIA, "Støj", category=0)
    b = room.note(OLE, "Larm", category=0)
    c = room.note(PIA, "Mødekultur", category=1)
    k = room.note(KIM, "Vagtplaner", category=1)
    room.act("merge", items=[f"n:{a}", f"n:{b}"], title="Støj i huset")
    room.act("vote")
    tid = next(u for u in room.board().units if u.startswith("t:"))
    room.dot(PIA, tid, 2)
    room.dot(OLE, tid, 1)
    room.dot(OLE, f"n:{c}", 2)
    room.dot(KIM, f"n:{k}", 1)
    result = kind.results(room.view())
    cands = result["plan_candidates"]
    assert [(c["theme"], c["weight"], c.get("group_id")) for c in cands] == [
        ("Støj i huset", 3, 1),
        ("Mødekultur", 2, 1),
        ("Vagtplaner", 1, 2),
    ]
    assert cands[0]["source"] == "Idétavle · Arbejdsmiljø · 3 prikker"
    bord1 = result["walls"][0]
    assert bord1["ranking"][0] == {
        "place": 1, "shared": False, "kind": "theme", "title": "Støj i huset", "dots": 3
    }  # fmt: skip
    assert bord1["themes"][0]["notes"] == ["Støj", "Larm"]
    assert "author" not in result["notes"][0]  # anonymous board: no names anywhere


def test_before_any_vote_the_themes_are_offered():
    room = Room()
    a = room.note(PIA, "Støj")
    room.note(PIA, "Larm")
    room.act("move", item=f"n:{a}", to="new")
    cands = kind.results(room.view())["plan_candidates"]
    assert cands == [{"theme": "Støj", "source": "Idétavle", "weight": 0}]


def test_phones_with_the_same_dots_share_a_render():
    room, (a, b, *_rest) = voting_room()
    room.dot(PIA, f"n:{a}", 1)
    room.dot(OLE, f"n:{a}", 1)
    keys = [kind.phone_key(room.view(p)) for p in PEOPLE]
    assert keys[0] == keys[1] != keys[2]
    room.dot(OLE, f"n:{b}", 1)
    assert kind.phone_key(room.view(PIA)) != kind.phone_key(room.view(OLE))

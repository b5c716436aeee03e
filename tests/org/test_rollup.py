"""The roll-up as a plain function: status per place, sums per subtree and per level."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace as NS

from facilitator.org.rollup import (
    COMPLETE,
    MISSING,
    STARTED,
    PlanFacts,
    bucket,
    by_level,
    plan_facts,
    plan_status,
    rollup,
)
from facilitator.org.tree import Tree

STAGES = ["Ikke startet", "I gang", "Næsten", "Gennemført", "Effekt evalueret"]
ON = date(2026, 7, 1)


def place(id, parent, name, level):  # noqa: A002
    return NS(id=id, parent_id=parent, name=name, level=level)


# Kommune -> Nord (Skole A, Skole B, Ældre C) and Syd (Dagtilbud D) and Rådhuset (no children)
PLACES = [
    place(1, None, "Kommunen", "Kommune"),
    place(2, 1, "Nord", "Område"),
    place(3, 1, "Syd", "Område"),
    place(4, 2, "Skole B", "Arbejdsplads"),
    place(5, 2, "Skole A", "Arbejdsplads"),
    place(6, 2, "Ældre C", "Arbejdsplads"),
    place(7, 3, "Dagtilbud D", "Udvalg"),
    place(8, 1, "Rådhuset", "Område"),
]


def facts(id, *, complete=True, buckets=(0, 0, 0, 0), overdue=0, met=None):  # noqa: A002
    return PlanFacts(
        id=id,
        title=f"Plan {id}",
        group_name="",
        rows=sum(buckets),
        complete=complete,
        buckets=buckets,
        overdue=overdue,
        last_followup=met,
    )


def test_buckets_follow_the_statuspil_of_each_plan():
    assert [bucket(s, STAGES) for s in range(5)] == [
        "not_started", "in_progress", "in_progress", "done", "evaluated",
    ]  # fmt: skip
    assert [bucket(s, ["Ikke startet", "Færdig"]) for s in range(2)] == ["not_started", "done"]
    three = ["Ikke startet", "Gennemført", "Evalueret"]
    assert [bucket(s, three) for s in range(3)] == ["not_started", "done", "evaluated"]
    assert bucket(9, STAGES) == "evaluated" and bucket(-1, STAGES) == "not_started"


def test_plan_status_missing_started_complete():
    assert plan_status([]) == MISSING
    assert plan_status([facts(1), facts(2, complete=False)]) == STARTED
    assert plan_status([facts(1), facts(2)]) == COMPLETE


def test_rollup_per_place_and_per_subtree():
    plans = {
        5: [facts(10, buckets=(1, 2, 0, 0), overdue=1, met=date(2026, 6, 1))],
        4: [facts(11, complete=False, buckets=(2, 0, 0, 0), overdue=2)],
        7: [facts(12, buckets=(0, 0, 3, 1), met=date(2026, 6, 20))],
        2: [facts(13, buckets=(0, 1, 0, 0))],  # AfdelingsMED's own plan for Nord
    }
    root = rollup(PLACES, plans, 1)
    assert [c.place.name for c in root.children] == ["Nord", "Rådhuset", "Syd"]
    nord, raadhus, syd = root.children
    assert [c.place.name for c in nord.children] == ["Skole A", "Skole B", "Ældre C"]
    a, b, c = nord.children
    assert (a.status, b.status, c.status) == (COMPLETE, STARTED, MISSING)
    # A place above the workplaces has its own plan: shown, counted in rows, not expected.
    assert nord.expected is False and nord.status == COMPLETE and nord.own.expected == 0
    # Rådhuset has no places under it, so it is a workplace that is expected to have a plan.
    assert raadhus.expected and raadhus.status == MISSING
    assert nord.total.expected == 3 and nord.total.missing == 1
    assert (nord.total.started, nord.total.complete) == (1, 1)
    assert nord.total.rows == 3 + 2 + 1 and nord.total.overdue == 3
    assert nord.total.buckets == [3, 3, 0, 0]
    assert nord.total.met == 1 and nord.total.last_followup == date(2026, 6, 1)
    t = root.total
    assert (t.places, t.expected, t.missing, t.started, t.complete) == (8, 5, 2, 1, 2)
    assert t.plans == 4 and t.rows == 10 and t.overdue == 3
    assert t.buckets == [3, 3, 3, 1]
    assert t.met == 2 and t.last_followup == date(2026, 6, 20)
    assert syd.total.complete == 1 and syd.children[0].last_followup == date(2026, 6, 20)


def test_rollup_of_a_subtree_and_of_unknown_places():
    nord = rollup(PLACES, {}, 2)
    assert nord.depth == 0 and nord.total.expected == 3 and nord.total.missing == 3
    assert rollup(PLACES, {}, 99) is None
    leaf = rollup(PLACES, {}, 7)
    assert leaf.expected and leaf.status == MISSING and leaf.total.expected == 1


def test_by_level_sums_each_level():
    plans = {5: [facts(10, buckets=(1, 0, 0, 0))], 2: [facts(13, buckets=(0, 1, 0, 0))]}
    rows = by_level(rollup(PLACES, plans, 1))
    summary = [(r.depth, r.level, r.tally.places, r.tally.expected, r.tally.missing) for r in rows]
    assert summary == [
        (0, "Kommune", 1, 0, 0),
        (1, "Område", 3, 1, 1),  # Rådhuset has nothing under it: expected
        (2, "Arbejdsplads", 3, 3, 2),
        (2, "Udvalg", 1, 1, 1),
    ]
    assert rows[1].tally.rows == 1 and rows[2].tally.complete == 1


def test_plan_facts_from_a_plan_with_rows():
    def item(stage, deadline=None, **kw):
        row = {"theme": "Støj", "activity": "Lydabsorbenter", "tovholder": "Åse"}
        row.update(kw)
        return NS(stage=stage, deadline=deadline, **row)

    plan = NS(
        id=3, title="Handleplan", group_name="Bord 1", stages=STAGES, view_token="v",
        last_followup=date(2026, 6, 2), next_followup=date(2026, 9, 1),
        items=[
            item(0, date(2026, 6, 1)),  # overdue on 1 July
            item(3, date(2026, 6, 1)),  # done: not overdue
            item(4, date(2026, 8, 1)),
        ],
    )  # fmt: skip
    f = plan_facts(plan, ON)
    assert f.rows == 3 and f.buckets == (1, 0, 1, 1) and f.overdue == 1 and f.complete
    plan.items.append(item(1, None, tovholder=""))
    f = plan_facts(plan, ON)
    assert not f.complete and len(f.missing) >= 1
    lacks = " ".join(f.missing).lower()
    assert "4" in lacks and "tovholder" in lacks and "deadline" in lacks


def test_tree_order_paths_and_danish_letters():
    tree = Tree(
        [*PLACES, place(9, 2, "Aarhusvej", "Arbejdsplads"), place(10, 2, "Øster", "Arbejdsplads")]
    )
    names = [p.name for p in tree.kids(2)]
    assert names == ["Aarhusvej", "Skole A", "Skole B", "Ældre C", "Øster"]
    assert tree.path(6) == "Nord › Ældre C" and tree.path(1) == "Kommunen"
    assert tree.path(6, from_id=2) == "Ældre C"
    assert tree.contains(1, 6) and tree.contains(2, 6) and not tree.contains(3, 6)
    assert tree.depth(6) == 2 and tree.root_of(6).id == 1
    assert tree.subtree_ids(2) == {2, 4, 5, 6, 9, 10}
    assert tree.levels(1)[0] == (0, "Kommune", 1)


def test_the_simple_rule_is_kept_beside_the_apv_check():
    from facilitator.org.completeness import simple_missing

    def item(**kw):
        row = {"theme": "Støj", "activity": "Lydabsorbenter", "tovholder": "Åse",
               "deadline": date(2026, 9, 1)}  # fmt: skip
        row.update(kw)
        return NS(**row)

    assert simple_missing(NS(items=[])) == ["Planen har ingen rækker endnu."]
    assert simple_missing(NS(items=[item(), item(tovholder="", deadline=None)])) == [
        "Række 2 mangler tovholder og deadline."
    ]

"""APV completeness: what a plan lacks by Arbejdstilsynet's rules for an APV action plan.

An APV handlingsplan states which problems are to be solved, how, who is responsible, when
they are to be solved, and how and when the solutions are followed up; and the APV must be
available to everyone at the workplace. `missing` names what is lacking, in Danish.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..timefmt import danish_date
from .rules import today

if TYPE_CHECKING:
    from .models import ActionItem, ActionPlan

# (what a row needs, what to call it when missing, the question that explains it)
ROW_RULES: list[tuple[str, str, str]] = [
    ("theme", "Problemet", "hvilket arbejdsmiljøproblem skal løses?"),
    ("activity", "Løsningen", "hvad gør I for at løse det?"),
    ("tovholder", "Den ansvarlige", "hvem er tovholder?"),
    ("deadline", "Deadline", "hvornår skal det være løst?"),
]


def danish_list(numbers: list[int]) -> str:
    """1 · 1 og 2 · 1, 2 og 3"""
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def _evaluated(item: ActionItem, plan: ActionPlan) -> bool:
    # The last stage is the evaluation only when the statuspil keeps done and evaluated apart.
    return len(plan.stages) >= 3 and item.stage >= len(plan.stages) - 1


def missing(plan: ActionPlan, on: date | None = None) -> list[str]:
    """The Danish texts of what the plan lacks to be a complete APV action plan; [] if none."""
    on = on or today()
    out: list[str] = []
    if not plan.items:
        out.append("Planen har ingen rækker: skriv de problemer, der skal løses, og hvordan.")
    for field, label, question in ROW_RULES:
        rows = [n for n, item in enumerate(plan.items, start=1) if not getattr(item, field)]
        if rows:
            where = "række" if len(rows) == 1 else "rækkerne"
            out.append(f"{label} mangler i {where} {danish_list(rows)} ({question})")
    if plan.items and not all(_evaluated(i, plan) for i in plan.items):
        if plan.next_followup is None:
            out.append("Opfølgningen mangler: sæt en dato for næste opfølgningsmøde.")
        elif plan.next_followup < on:
            out.append(
                f"Opfølgningen {danish_date(plan.next_followup)} er passeret: "
                "sæt en dato for næste opfølgningsmøde."
            )
    if not plan.view_token:
        out.append(
            "Planen er ikke tilgængelig for alle: læselinket er lukket. Forny det, så alle "
            "medarbejdere kan se planen."
        )
    return out

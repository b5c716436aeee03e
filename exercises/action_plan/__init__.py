"""Handleplan med statuspil: each group builds its committee's action plan on the day.

The plan lives in its own tables (facilitator/plans), not in Step.state: it outlives the
workshop. Phones and controls edit it through this kind's own blueprint (routes.py,
/plan/live/...), which creates each table's plan on first use. The kind itself only reads:
the state holds the phase ("build", then "links" when the tables get their links and QR codes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from facilitator.kinds import (
    ContentError,
    ExerciseKind,
    ExportRow,
    Rejected,
    Screen,
    StepView,
    bool_field,
    lines_field,
    text_field,
)
from facilitator.plans import rules as plan_rules
from facilitator.plans.rules import PRIORITIES, PlanError, parse_stages
from facilitator.plans.service import find_for_group

from .routes import bp
from .sources import candidates

PROJECTOR_ROWS = 7


@dataclass(frozen=True)
class ActionPlanContent:
    prompt: str = text_field("Opgave til grupperne", required=True, area=True, max_len=500)
    plan_title: str = text_field(
        "Planens titel", max_len=120, default="Handleplan", help="Tom: «Handleplan»."
    )
    stages: list[str] = lines_field(
        "Trin på statuspilen",
        max_len=40,
        help="2 til 8 trin, ét pr. linje. Tom: standardtrinnene.",
    )
    from_earlier: bool = bool_field("Foreslå rækker fra dagens tidligere øvelser", default=True)

    def checked(self) -> ActionPlanContent:
        """The statuspil keeps the plans' own rules (2 to 8 distinct stages; empty: standard)."""
        try:
            return replace(self, stages=parse_stages(self.stages))
        except PlanError as exc:
            raise ContentError(str(exc), "stages") from exc


class ActionPlanKind(ExerciseKind[ActionPlanContent]):
    name = "action_plan"
    title = "Handleplan med statuspil"
    description = (
        "Hver gruppe laver sin handleplan: problem, aktivitet, tovholder, deadline og statuspil. "
        "Planen følger udvalget efter dagen via et link."
    )
    main_field = "prompt"
    blueprint = bp
    example = {
        "prompt": "Hvad vil I gøre, hvem er tovholder, og hvornår skal det være sket?",
        "plan_title": "Handleplan",
    }
    Content = ActionPlanContent

    def initial_state(self, content: ActionPlanContent) -> dict[str, Any]:
        return {"phase": "build"}

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        if action == "build":
            return {**view.state, "phase": "build"}
        if action == "links":
            base = str(data.get("base_url") or view.state.get("base_url") or "").rstrip("/")
            if base and (not base.startswith(("http://", "https://")) or len(base) > 200):
                raise Rejected("Ugyldig adresse til links.")
            return {**view.state, "phase": "links", "base_url": base}
        raise Rejected("Ukendt handling.")

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Any:
        raise Rejected("Brug knapperne i planen.")

    # ---- reading the plans (this kind never writes) ----

    def plan_of(self, view: StepView, group_id: int | None):  # noqa: ANN201
        return find_for_group(view.workshop, group_id, view.content.plan_title)

    def groups(self, view: StepView) -> list[tuple[int | None, str]]:
        """(group id, name) for every group, or one plenum plan when there are no groups."""
        return [(g.id, g.name) for g in view.groups] or [(None, "Alle")]

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        on = plan_rules.today()
        ctx: dict[str, Any] = {
            "content": view.content,
            "plan_phase": view.state.get("phase", "build"),
            "base_url": view.state.get("base_url", ""),
            "today": on,
        }
        if screen == "phone":
            p = view.participant
            group_id = p.group_id if p else None
            plan = self.plan_of(view, group_id)
            ctx["plan"] = plan
            ctx["group_name"] = p.group.name if p and p.group else "Alle"
            ctx["candidates"] = self.candidates(view, group_id)
            ctx["used"] = {i.theme.casefold() for i in plan.items} if plan else set()
            return ctx
        boards = []
        for group_id, name in self.groups(view):
            plan = self.plan_of(view, group_id)
            items = list(plan.items) if plan else []
            boards.append(
                {
                    "group_id": group_id,
                    "name": name,
                    "plan": plan,
                    "rows": items[:PROJECTOR_ROWS],
                    "more": max(0, len(items) - PROJECTOR_ROWS),
                    "summary": plan_rules.summary(plan, on) if plan else None,
                }
            )
        ctx["boards"] = boards
        if screen == "controls":
            ctx["candidate_count"] = sum(
                len(block["rows"]) for block in self.candidates(view, None)
            )
        return ctx

    def candidates(self, view: StepView, group_id: int | None) -> list[dict[str, Any]]:
        if not view.content.from_earlier:
            return []
        return candidates(view.workshop, view.step, group_id)

    def phone_key(self, view: StepView) -> Any:
        p = view.participant
        return ("plan", p.group_id if p else None, view.state.get("phase", "build"))

    def export_rows(self, view: StepView) -> list[ExportRow]:
        out = []
        for plan in self.results(view)["plans"]:
            for r in plan["rows"]:
                facts = [r["activity"], f"tovholder {r['tovholder']}" if r["tovholder"] else ""]
                facts += [f"deadline {r['deadline']}" if r["deadline"] else "", r["status"]]
                out.append(
                    ExportRow(
                        r["theme"] or plan["plan"], " · ".join(f for f in facts if f), plan["group"]
                    )
                )
        return out

    def results(self, view: StepView) -> dict[str, Any]:
        out = []
        for group_id, name in self.groups(view):
            plan = self.plan_of(view, group_id)
            if plan is None:
                continue
            rows = [
                {
                    "theme": i.theme,
                    "activity": i.activity,
                    "tovholder": i.tovholder,
                    "deadline": i.deadline.isoformat() if i.deadline else "",
                    "priority": PRIORITIES.get(i.priority, ""),
                    "status": plan.stages[min(i.stage, len(plan.stages) - 1)],
                }
                for i in plan.items
            ]
            out.append({"group": name, "plan": plan.title, "rows": rows})
        return {"plans": out}

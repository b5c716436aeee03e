"""Handleplaner: a committee's action plan with its statuspil, from the day to months after.

models (tables) · rules (clock, stages, overdue: no database) · service (plans and links) ·
items (rows and the statuspil) · exports (CSV, XLSX, iCal) · views (the plan pages) ·
templates/plan and style.css. The action_plan exercise kind builds plans on the day.
"""

from .items import (
    Conflict,
    ItemInput,
    add_item,
    delete_item,
    move_stage,
    read_item_form,
    update_item,
)
from .rules import PlanError
from .service import (
    by_token,
    create_plan,
    ensure_for_group,
    find_for_group,
    finish_meeting,
    of_instructor,
    renew_token,
    revoke_token,
    update_plan,
)

__all__ = [
    "Conflict",
    "ItemInput",
    "PlanError",
    "add_item",
    "by_token",
    "create_plan",
    "delete_item",
    "ensure_for_group",
    "find_for_group",
    "finish_meeting",
    "move_stage",
    "of_instructor",
    "read_item_form",
    "renew_token",
    "revoke_token",
    "update_item",
    "update_plan",
]

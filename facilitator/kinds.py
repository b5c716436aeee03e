"""The exercise kind contract and the registry of kinds, filled by `exercises` at app start.

A kind author imports everything from here: the contract, the content field declarations
(text_field, int_field, records_field ...) and StepView.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from .content import (
    ContentError,
    Field,
    bool_field,
    choice_field,
    field_error,
    fields_of,
    int_field,
    lines_field,
    parse_content,
    raw_records,
    records_field,
    text_field,
)
from .step_view import StepView, owner_id

if TYPE_CHECKING:
    from flask import Blueprint

    from .models import Step

__all__ = [
    "SCREENS",
    "ContentError",
    "ExerciseKind",
    "ExportRow",
    "Field",
    "Rejected",
    "Screen",
    "StepView",
    "Submission",
    "bool_field",
    "choice_field",
    "field_error",
    "fields_of",
    "int_field",
    "kind_of",
    "lines_field",
    "owner_id",
    "parse_content",
    "raw_records",
    "records_field",
    "register",
    "registry",
    "text_field",
]

Screen = Literal["controls", "projector", "phone"]
SCREENS: tuple[Screen, ...] = ("controls", "projector", "phone")

C = TypeVar("C")


class Rejected(ValueError):
    """A participant submission or an instructor action was refused; the message is Danish."""


@dataclass(frozen=True)
class Submission:
    """What to store for one accepted participant submission.

    `slot` names the place where one answer is allowed: a second submission to the same slot
    replaces the first (so a double tap spends nothing twice). `scope="group"` stores it for
    the participant's group. `audience` says whose phones must be re-rendered: only the
    sender's ("self"), its group's ("group") or every phone ("all").
    """

    slot: str
    payload: dict[str, Any]
    scope: Literal["participant", "group"] = "participant"
    audience: Literal["self", "group", "all"] = "self"


@dataclass(frozen=True)
class ExportRow:
    """One line of a workshop's results CSV: an answer (or a count), to a question, at a table."""

    question: str
    answer: str
    table: str = ""


class ExerciseKind(Generic[C]):
    """One exercise kind: a self-contained unit found in the registry below.

    Subclasses set `name` (also their folder, template folder and `Step.kind`), a Danish
    `title`, their `Content` dataclass (which gives `parse` and `fields`), and override the
    pure functions below. Templates live beside the kind as
    `templates/<name>/{controls,projector,phone}.html`. Nothing here writes to the database:
    the core stores what these functions return.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str] = ""
    # The content field the quick "add step" form fills from its one text box.
    main_field: ClassVar[str | None] = None
    # A valid content: the contract test parses it, the editor starts a new step from it.
    example: ClassVar[dict[str, Any]] = {}
    # The content dataclass, its fields declared once (facilitator.content): parse() reads it
    # and the editor's form is made from it.
    Content: ClassVar[type | None] = None
    # The editor's inputs, derived from Content; empty: the whole content is edited as TOML.
    fields: ClassVar[tuple[Field, ...]] = ()
    # Routes of its own beyond the three screens (as the handleplan has): registered with
    # the app under the kind's name, so no core module ever names a kind.
    blueprint: ClassVar[Blueprint | None] = None
    # Content fields holding an uploaded picture ("<sha256>.<ext>"): the editor shows an
    # upload form for them, and a program's TOML file carries the picture along.
    media_fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Derive the editor's `fields` from the kind's own `Content` declaration."""
        super().__init_subclass__(**kwargs)
        if "Content" in cls.__dict__ and "fields" not in cls.__dict__ and cls.Content:
            cls.fields = fields_of(cls.Content)

    def parse(self, raw: Mapping[str, Any]) -> C:
        """Turn the instructor's content into a typed value, or raise ContentError."""
        if self.Content is None:
            raise NotImplementedError
        return parse_content(self.Content, raw)

    def initial_state(self, content: C) -> dict[str, Any]:
        """The state a step starts from."""
        return {}

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Return the new state after an instructor action (view.state is not to be mutated)."""
        raise Rejected("Ukendt handling.")

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        """Validate one submission of view.participant and say what to store, or raise Rejected."""
        raise Rejected("Denne øvelse tager ikke imod svar.")

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        """Template variables for a screen (for view.participant on the phone)."""
        return {}

    def phone_key(self, view: StepView) -> Any:
        """Phones with equal keys see the same fragment (rendered once); None means per phone."""
        return None

    def results(self, view: StepView) -> dict[str, Any]:
        """What the step produced, for export and for later steps.

        Rows for an action plan: a kind whose results can become rows of a handleplan adds
        "plan_candidates": a list of dicts with "theme" (str, required: the problem or theme,
        short), and optionally "activity" (str: a suggested action), "source" (str: a short
        Danish label, e.g. "Idétavle", "Tip en 13'er"), "group_id" (int: only offered to that
        group's plan) and "weight" (number: higher is offered first, e.g. dots). Keep it
        anonymous: no participant names. The action_plan kind reads these from earlier steps.
        """
        return {}

    def export_rows(self, view: StepView) -> list[ExportRow]:
        """The step's results as readable rows for the CSV, in Danish, as anonymous as results."""
        return []

    def template(self, screen: Screen) -> str:
        return f"{self.name}/{screen}.html"


# ---- the registry --------------------------------------------------------------------------

_registry: dict[str, ExerciseKind] = {}


def register(kinds: Iterable[ExerciseKind]) -> None:
    """Make kinds known by name (the app factory registers `exercises.KINDS`)."""
    for kind in kinds:
        _registry[kind.name] = kind


def registry() -> Mapping[str, ExerciseKind]:
    """Every registered kind by name, in registration order."""
    return _registry


def kind_of(step: Step | str) -> ExerciseKind:
    """The kind of a step (or of a kind name); KeyError for an unknown one."""
    return _registry[step if isinstance(step, str) else step.kind]

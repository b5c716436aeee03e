"""The exercise kind contract, the helpers kinds share, and the registry lookup."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from .models import Group, Participant, Response, Step, Workshop

Screen = Literal["controls", "projector", "phone"]
SCREENS: tuple[Screen, ...] = ("controls", "projector", "phone")

C = TypeVar("C")


class ContentError(ValueError):
    """The instructor's content for a step does not parse; the message is Danish."""


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


Loader = Callable[[], list[Any]]

FieldType = Literal["text", "textarea", "lines", "int", "bool", "choice", "toml"]


@dataclass(frozen=True)
class Field:
    """One content field as the program editor shows it: a form input with a Danish label.

    Types: "text" (one line), "textarea", "lines" (a list of texts, one per line), "int",
    "bool" (a checkbox), "choice" (one of `choices`, pairs of value and Danish label) and
    "toml" (a nested structure such as tip13's rows, edited as TOML text).
    """

    name: str
    label: str
    type: FieldType = "text"
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()


class StepView:
    """Everything a kind may read about a step, loaded lazily and at most once per render.

    `responses` and `participants` are fetched on first use, so a submission that needs
    neither (a scale answer) costs no extra query.
    """

    def __init__(
        self,
        workshop: Workshop,
        step: Step,
        content: Any,
        now: datetime,
        responses: list[Response] | Loader | None = None,
        participants: list[Participant] | Loader | None = None,
        participant: Participant | None = None,
        earlier: Callable[[str, Participant], list[tuple[Step, list[Response]]]] | None = None,
        owned: Callable[[str], list[Response]] | None = None,
        memo: dict[str, Any] | None = None,
    ) -> None:
        self.workshop, self.step, self.content, self.now = workshop, step, content, now
        self.participant = participant
        self._responses = responses if responses is not None else []
        self._participants = participants if participants is not None else []
        self._earlier = earlier
        self._owned = owned
        # Room-wide data derived from the rows (queues, rounds): shared by every phone's view.
        self.memo: dict[str, Any] = memo if memo is not None else {}

    @property
    def responses(self) -> list[Response]:
        if callable(self._responses):
            self._responses = self._responses()
        return self._responses

    @property
    def participants(self) -> list[Participant]:
        if callable(self._participants):
            self._participants = self._participants()
        return self._participants

    @property
    def state(self) -> dict[str, Any]:
        return self.step.state or {}

    @property
    def groups(self) -> list[Group]:
        return list(self.workshop.groups)

    @property
    def min_anonymous(self) -> int:
        return max(5, self.workshop.min_anonymous or 5)

    @cached_property
    def by_owner(self) -> dict[str, list[Response]]:
        index: dict[str, list[Response]] = {}
        for r in self.responses:
            index.setdefault(r.owner, []).append(r)
        return index

    def owned_by(self, owner: str) -> list[Response]:
        """The responses of one owner ("p:<id>" or "g:<id>").

        Before the step's rows are loaded, only the owner's rows are queried: a phone that
        answers must not cost a read of the whole room's answers.
        """
        if callable(self._responses) and self._owned is not None:
            cache = self.__dict__.setdefault("_owned_cache", {})
            if owner not in cache:
                cache[owner] = self._owned(owner)
            return cache[owner]
        return self.by_owner.get(owner, [])

    def own(self, participant: Participant | None = None) -> list[Response]:
        """The responses of a participant (default: the viewing one)."""
        p = participant or self.participant
        return self.owned_by(f"p:{p.id}") if p else []

    def of_group(self, group_id: int | None) -> list[Response]:
        """The responses stored for a group (scope="group")."""
        return self.owned_by(f"g:{group_id}") if group_id else []

    def members(self, group_id: int | None) -> list[Participant]:
        """The participants of a group, in join order (everyone when group_id is None)."""
        if group_id is None:
            return list(self.participants)
        return [p for p in self.participants if p.group_id == group_id]

    def tables(self, plenum: bool = False) -> list[tuple[str, str, list[Participant]]]:
        """(key, name, members in join order) for each group that works on its own.

        One table "all" in plenum or without groups; anyone without a group sits at "none".
        """
        if plenum or not self.groups:
            return [("all", "Alle", list(self.participants))]
        lists = [(str(g.id), g.name, self.members(g.id)) for g in self.groups]
        loose = [p for p in self.participants if p.group_id is None]
        return lists + ([("none", "Uden bord", loose)] if loose else [])

    def earlier(self, kind: str, participant: Participant | None = None):
        """A participant's responses in earlier steps of a kind (e.g. their interview goal).

        Returns [(step, responses)] in program order; also across the days of a course.
        """
        p = participant or self.participant
        if p is None or self._earlier is None:
            return []
        return self._earlier(kind, p)

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """Room-wide data a kind derives from the rows, computed once for all phones' views.

        Only for what does not depend on the viewer: every for_participant view shares it.
        """
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def for_participant(self, participant: Participant) -> StepView:
        """The same view, seen by one participant (shares what is, or will be, loaded)."""
        # Loaders go through this view, so three hundred phones cost one read, not one each.
        view = StepView(
            self.workshop,
            self.step,
            self.content,
            self.now,
            self._responses if not callable(self._responses) else lambda: self.responses,
            self._participants if not callable(self._participants) else lambda: self.participants,
            participant,
            self._earlier,
            self._owned,
            self.memo,
        )
        if not callable(self._responses):  # rows loaded: index them once for every phone
            view.__dict__["by_owner"] = self.by_owner
        return view


def owner_id(response: Any) -> int | None:
    """The participant id of a response stored for one participant (owner "p:<id>")."""
    owner = getattr(response, "owner", "") or ""
    return int(owner[2:]) if owner.startswith("p:") and owner[2:].isdigit() else None


class ExerciseKind(Generic[C]):
    """One exercise kind: a self-contained unit found in the registry `exercises.KINDS`.

    Subclasses set `name` (also their folder, template folder and `Step.kind`), a Danish
    `title`, and override the pure functions below. Templates live beside the kind as
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
    # The editor's form for the content; empty: the whole content is edited as TOML.
    fields: ClassVar[tuple[Field, ...]] = ()

    def parse(self, raw: Mapping[str, Any]) -> C:
        """Turn the instructor's content into a typed value, or raise ContentError."""
        raise NotImplementedError

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

    def template(self, screen: Screen) -> str:
        return f"{self.name}/{screen}.html"


# ---- helpers for parse() -------------------------------------------------------------------


def text(
    raw: Mapping[str, Any], key: str, label: str, *, required: bool = True, max_len: int = 2000
) -> str:
    """Read a text field, stripped, with a Danish error naming the field."""
    value = raw.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ContentError(f"«{label}» skal være en tekst.")
    value = value.strip()
    if required and not value:
        raise ContentError(f"«{label}» mangler.")
    if len(value) > max_len:
        raise ContentError(f"«{label}» er for lang (højst {max_len} tegn).")
    return value


def integer(
    raw: Mapping[str, Any], key: str, label: str, *, default: int, low: int, high: int
) -> int:
    """Read a whole number within bounds, with a Danish error naming the field."""
    value = raw.get(key, default)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContentError(f"«{label}» skal være et helt tal.")
    if not low <= value <= high:
        raise ContentError(f"«{label}» skal være mellem {low} og {high}.")
    return value


def text_list(
    raw: Mapping[str, Any], key: str, label: str, *, max_items: int = 30, max_len: int = 300
) -> list[str]:
    """Read a list of short texts (a TOML array or one per line)."""
    value = raw.get(key, [])
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContentError(f"«{label}» skal være en liste af tekster.")
    items = [v.strip() for v in value if v.strip()]
    if len(items) > max_items:
        raise ContentError(f"«{label}» må højst have {max_items} punkter.")
    for item in items:
        if len(item) > max_len:
            raise ContentError(f"Et punkt i «{label}» er for langt (højst {max_len} tegn).")
    return items


def flag(raw: Mapping[str, Any], key: str, *, default: bool = False) -> bool:
    """Read a yes/no setting (TOML bool or a form checkbox)."""
    value = raw.get(key, default)
    if isinstance(value, str):
        return value.lower() in {"1", "true", "on", "ja", "yes"}
    return bool(value)

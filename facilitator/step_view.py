"""StepView: everything an exercise kind may read about a step, loaded lazily."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Group, Participant, Response, Step, Workshop

Loader = Callable[[], list[Any]]


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

"""boards: the instructor's actions shared by the table-board kinds (dagsorden, årshjul)."""

from __future__ import annotations

import pytest

from facilitator.boards import table_board_action
from facilitator.kinds import Rejected


def test_lock_page_and_project_one_table_or_all():
    state = {"show": "all", "page": 0}
    assert table_board_action(state, "lock", {}, [1, 2])["locked"] is True
    assert table_board_action(state, "page", {"page": "2"}, [1, 2])["page"] == 2
    assert table_board_action(state, "project", {"group": "2"}, [1, 2])["show"] == 2
    assert table_board_action({"show": 2}, "project", {}, [1, 2])["show"] == "all"
    assert table_board_action(state, "add", {}, [1, 2]) is None  # the kind's own action


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [("page", {"page": "²"}, "Ugyldig side"), ("project", {"group": "3"}, "Det bord findes ikke"),
     ("project", {"group": "9" * 50}, "Det bord findes ikke")],
)  # fmt: skip
def test_bad_choices_are_refused_in_danish(action, data, message):
    with pytest.raises(Rejected, match=message):
        table_board_action({}, action, data, [1, 2])

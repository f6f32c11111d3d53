"""The whole access matrix: every role x every action x own agency / other agency / anonymous.

The expected decisions are written out as a table, not derived from the policy's own logic.
This file covers who may see what (scope); tests/store/test_store_status_table.py walks every
cell of the status x role x action table through the store's operations.
"""

from __future__ import annotations

import pytest

from pia.store.errors import NotAllowed
from pia.store.models import Agency, Assessment, User
from pia.store.policy import PERMISSIONS, Action, Decision, allowed, decide, require

OWN, OTHER = 1, 2
A, S, N, F = Decision.ALLOW, Decision.SIGN_IN, Decision.NOT_FOUND, Decision.FORBIDDEN
W = Decision.WRONG_STATUS  # the role may, but not in the assessment's status

# Targets: an assessment of the user's own agency (for a reviewer: of an agency in their remit) or
# of another agency, never submitted ("draft"), submitted ("submitted"), or submitted and since
# edited again ("reopened").
TARGETS = {
    "own-draft": (OWN, 0),
    "own-submitted": (OWN, 1),
    "own-reopened": (OWN, 2),
    "other-draft": (OTHER, 0),
    "other-submitted": (OTHER, 1),
}
ON_ASSESSMENT = [
    Action.VIEW,
    Action.EDIT,
    Action.SUBMIT,
    Action.UPLOAD,
    Action.DOWNLOAD_EVIDENCE,
    Action.VIEW_REPORT,
]
#                 VIEW EDIT SUBMIT UPLOAD DOWNLOAD REPORT
EXPECTED_ON_ASSESSMENT = {
    ("officer", "own-draft"): (A, A, A, A, A, A),
    ("officer", "own-submitted"): (A, A, W, A, A, A),
    ("officer", "own-reopened"): (A, A, A, A, A, A),
    ("officer", "other-draft"): (N, N, N, N, N, N),
    ("officer", "other-submitted"): (N, N, N, N, N, N),
    ("reviewer", "own-draft"): (N, N, N, N, N, N),
    ("reviewer", "own-submitted"): (A, F, F, F, A, A),
    ("reviewer", "own-reopened"): (A, F, F, F, A, A),
    ("reviewer", "other-draft"): (N, N, N, N, N, N),
    ("reviewer", "other-submitted"): (N, N, N, N, N, N),
    ("admin", "own-draft"): (N, N, N, N, N, N),
    ("admin", "own-submitted"): (N, N, N, N, N, N),
    ("admin", "own-reopened"): (N, N, N, N, N, N),
    ("admin", "other-draft"): (N, N, N, N, N, N),
    ("admin", "other-submitted"): (N, N, N, N, N, N),
    ("anonymous", "own-draft"): (S, S, S, S, S, S),
    ("anonymous", "own-submitted"): (S, S, S, S, S, S),
    ("anonymous", "own-reopened"): (S, S, S, S, S, S),
    ("anonymous", "other-draft"): (S, S, S, S, S, S),
    ("anonymous", "other-submitted"): (S, S, S, S, S, S),
}
# Actions not on one assessment: CREATE_ASSESSMENT in the own agency / in another agency /
# without naming one, LIST_SUBMITTED, ADMIN.
#                CREATE-own CREATE-other CREATE-unnamed LIST ADMIN
EXPECTED_GENERAL = {
    "officer": (A, F, A, F, F),
    "reviewer": (F, F, F, A, F),
    "admin": (F, F, F, F, A),
    "anonymous": (S, S, S, S, S),
}


def make_user(role: str, *, active: bool = True) -> User | None:
    if role == "anonymous":
        return None
    own = Agency(id=OWN, name="Own")
    return User(
        id=10,
        email=f"{role}@example.org",
        name=role,
        role=role,
        agency_id=OWN if role == "officer" else None,
        remit=[own] if role == "reviewer" else [],
        active=active,
    )


def make_assessment(target: str) -> Assessment:
    agency_id, revisions = TARGETS[target]
    status = "submitted" if revisions == 1 else "draft"
    return Assessment(id=5, agency_id=agency_id, revision_count=revisions, status=status)


MATRIX = [
    pytest.param(role, target, action, expected[i], id=f"{role}-{target}-{action.value}")
    for (role, target), expected in EXPECTED_ON_ASSESSMENT.items()
    for i, action in enumerate(ON_ASSESSMENT)
]


@pytest.mark.parametrize(("role", "target", "action", "expected"), MATRIX)
def test_actions_on_an_assessment(role: str, target: str, action: Action, expected: Decision):
    assert decide(make_user(role), action, make_assessment(target)) is expected


GENERAL = [
    pytest.param(role, column, expected[i], id=f"{role}-{column}")
    for role, expected in EXPECTED_GENERAL.items()
    for i, column in enumerate(["create-own", "create-other", "create-unnamed", "list", "admin"])
]


@pytest.mark.parametrize(("role", "column", "expected"), GENERAL)
def test_actions_not_on_one_assessment(role: str, column: str, expected: Decision) -> None:
    user = make_user(role)
    if column == "create-own":
        decision = decide(user, Action.CREATE_ASSESSMENT, agency_id=OWN)
    elif column == "create-other":
        decision = decide(user, Action.CREATE_ASSESSMENT, agency_id=OTHER)
    elif column == "create-unnamed":
        decision = decide(user, Action.CREATE_ASSESSMENT)
    elif column == "list":
        decision = decide(user, Action.LIST_SUBMITTED)
    else:
        decision = decide(user, Action.ADMIN)
    assert decision is expected


def test_the_matrix_covers_every_action_role_and_target() -> None:
    covered = set(ON_ASSESSMENT) | {Action.CREATE_ASSESSMENT, Action.LIST_SUBMITTED, Action.ADMIN}
    assert covered | set(PERMISSIONS) == set(Action)
    roles = {role for role, _ in EXPECTED_ON_ASSESSMENT}
    assert roles == {"officer", "reviewer", "admin", "anonymous"} == set(EXPECTED_GENERAL)
    assert {target for _, target in EXPECTED_ON_ASSESSMENT} == set(TARGETS)


@pytest.mark.parametrize("role", ["officer", "reviewer", "admin"])
@pytest.mark.parametrize("action", list(Action))
def test_a_deactivated_account_must_sign_in_again(role: str, action: Action) -> None:
    user = make_user(role, active=False)
    assert decide(user, action, make_assessment("own-submitted")) is Decision.SIGN_IN


@pytest.mark.parametrize("action", ON_ASSESSMENT)
def test_no_assessment_is_not_found(action: Action) -> None:
    assert decide(make_user("officer"), action, None) is Decision.NOT_FOUND


def test_an_officer_without_an_agency_sees_nothing_and_creates_nothing() -> None:
    officer = make_user("officer")
    officer.agency_id = None
    assert decide(officer, Action.VIEW, make_assessment("own-draft")) is Decision.NOT_FOUND
    assert decide(officer, Action.CREATE_ASSESSMENT) is Decision.FORBIDDEN


def test_a_reviewer_with_an_empty_remit_sees_no_submission() -> None:
    reviewer = make_user("reviewer")
    reviewer.remit = []
    assert decide(reviewer, Action.VIEW, make_assessment("own-submitted")) is Decision.NOT_FOUND
    assert decide(reviewer, Action.LIST_SUBMITTED) is Decision.ALLOW


def test_allowed_and_require_follow_decide() -> None:
    officer = make_user("officer")
    assert allowed(officer, Action.EDIT, make_assessment("own-draft"))
    assert not allowed(officer, Action.EDIT, make_assessment("other-draft"))
    require(officer, Action.EDIT, make_assessment("own-draft"))
    with pytest.raises(NotAllowed):
        require(officer, Action.ADMIN)

"""The access policy over HTTP: every role (and anonymous) x every action x own / other agency.

One table says what each person should get; the test checks it against pia.store.policy.decide
(so the table is the policy) and then against every route that carries out that action (so the
routes enforce it): ALLOW -> the page works, SIGN_IN -> redirect to /signin?next=, NOT_FOUND -> 404,
FORBIDDEN -> 403.
"""

from __future__ import annotations

from typing import Any

import pytest

from pia.store.policy import Action, Decision, decide

ALLOW, SIGN_IN, NOT_FOUND, FORBIDDEN = (
    Decision.ALLOW,
    Decision.SIGN_IN,
    Decision.NOT_FOUND,
    Decision.FORBIDDEN,
)
ON_ASSESSMENT = (
    Action.VIEW,
    Action.EDIT,
    Action.SUBMIT,
    Action.UPLOAD,
    Action.DOWNLOAD_EVIDENCE,
    Action.VIEW_REPORT,
)

# What each person may do with a SUBMITTED assessment of agency A, and with no assessment.
EXPECTED: dict[str, dict[Action, Decision]] = {
    "anonymous": {action: SIGN_IN for action in Action},
    "officer_a": {
        **{action: ALLOW for action in ON_ASSESSMENT},
        Action.CREATE_ASSESSMENT: ALLOW,
        Action.LIST_SUBMITTED: FORBIDDEN,
        Action.ADMIN: FORBIDDEN,
    },
    "officer_b": {
        **{action: NOT_FOUND for action in ON_ASSESSMENT},
        Action.CREATE_ASSESSMENT: ALLOW,
        Action.LIST_SUBMITTED: FORBIDDEN,
        Action.ADMIN: FORBIDDEN,
    },
    "reviewer_a": {
        Action.VIEW: ALLOW,
        Action.EDIT: FORBIDDEN,
        Action.SUBMIT: FORBIDDEN,
        Action.UPLOAD: FORBIDDEN,
        Action.DOWNLOAD_EVIDENCE: ALLOW,
        Action.VIEW_REPORT: ALLOW,
        Action.CREATE_ASSESSMENT: FORBIDDEN,
        Action.LIST_SUBMITTED: ALLOW,
        Action.ADMIN: FORBIDDEN,
    },
    "reviewer_b": {
        **{action: NOT_FOUND for action in ON_ASSESSMENT},
        Action.CREATE_ASSESSMENT: FORBIDDEN,
        Action.LIST_SUBMITTED: ALLOW,
        Action.ADMIN: FORBIDDEN,
    },
    "admin": {
        **{action: NOT_FOUND for action in ON_ASSESSMENT},
        Action.CREATE_ASSESSMENT: FORBIDDEN,
        Action.LIST_SUBMITTED: FORBIDDEN,
        Action.ADMIN: ALLOW,
    },
}

# Every route, the action it carries out. {a}: the assessment, {s}: its first section,
# {e}: an evidence file of it.
ROUTES: tuple[tuple[str, str, Action], ...] = (
    ("GET", "/assessments/{a}", Action.VIEW),
    ("GET", "/assessments/{a}/revisions/1", Action.VIEW),
    ("GET", "/assessments/{a}/sections/{s}", Action.EDIT),
    ("POST", "/assessments/{a}/sections/{s}", Action.EDIT),
    ("POST", "/assessments/{a}/sections/{s}/autosave", Action.EDIT),
    ("GET", "/assessments/{a}/completeness", Action.SUBMIT),
    ("POST", "/assessments/{a}/submit", Action.SUBMIT),
    ("POST", "/assessments/{a}/evidence", Action.UPLOAD),
    ("GET", "/evidence/{e}", Action.DOWNLOAD_EVIDENCE),
    ("GET", "/assessments/{a}/report", Action.VIEW_REPORT),
    ("GET", "/assessments/{a}/report.pdf", Action.VIEW_REPORT),
    ("GET", "/assessments/{a}/report.json", Action.VIEW_REPORT),
    ("GET", "/assessments/{a}/findings.csv", Action.VIEW_REPORT),
    ("GET", "/assessments/new", Action.CREATE_ASSESSMENT),
    ("POST", "/assessments/new", Action.CREATE_ASSESSMENT),
    ("GET", "/review", Action.LIST_SUBMITTED),
    ("GET", "/admin/users", Action.ADMIN),
    ("GET", "/admin/agencies", Action.ADMIN),
    ("GET", "/admin/bank", Action.ADMIN),
    ("POST", "/admin/agencies", Action.ADMIN),
    ("POST", "/admin/users", Action.ADMIN),
)


@pytest.fixture
def evidence_id(db, bank, people, submitted: int) -> int:
    from pia.store import add_evidence, get_assessment
    from pia.store.models import User

    evidence = add_evidence(
        db,
        get_assessment(db, submitted),
        db.get(User, people["officer_a"].id),
        question_id=next(iter(bank.questions)),
        filename="notes.txt",
        data=b"Vendor meeting notes\n",
        max_bytes=1024 * 1024,
    )
    db.commit()
    return evidence.id


def outcome(response: Any) -> Decision:
    """What the response says the policy decided."""
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/signin?next="):
        return SIGN_IN
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code == 403:
        return FORBIDDEN
    # Anything else got past the policy: a page, a redirect, or the view's own 400/409.
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    return ALLOW


def user_for(db, people, key: str) -> Any:
    from pia.store.models import User

    return None if key == "anonymous" else db.get(User, people[key].id)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_table_is_the_policy(db, people, submitted: int, key: str) -> None:
    from pia.store import get_assessment

    user = user_for(db, people, key)
    assessment = get_assessment(db, submitted)
    for action, expected in EXPECTED[key].items():
        target = assessment if action in ON_ASSESSMENT else None
        assert decide(user, action, target) == expected, (key, action)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_routes_enforce_the_policy(
    auth, bank, people, submitted: int, evidence_id: int, key: str
) -> None:
    if key != "anonymous":
        auth.login(key)
    values = {"a": submitted, "s": bank.sections[0].id, "e": evidence_id}
    wrong = []
    for method, template, action in ROUTES:
        path = template.format(**values)
        response = auth.client.get(path) if method == "GET" else auth.post(path, {})
        got = outcome(response)
        if got != EXPECTED[key][action]:
            wrong.append(f"{method} {path}: expected {EXPECTED[key][action].name}, got {got.name}")
        if got == SIGN_IN:
            assert response.headers["Location"] == f"/signin?next={path}"
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("key", "expected"),
    [("officer_a", ALLOW), ("reviewer_a", NOT_FOUND), ("officer_b", NOT_FOUND)],
)
def test_a_draft_never_submitted_is_invisible_to_reviewers(
    auth, make_assessment, key: str, expected: Decision
) -> None:
    draft = make_assessment("officer_a", title="Unsubmitted draft")
    auth.login(key)
    assert outcome(auth.client.get(f"/assessments/{draft}")) == expected
    # No revision exists: 404 for everyone, also the owner.
    assert auth.client.get(f"/assessments/{draft}/revisions/1").status_code == 404


def test_unknown_assessment_is_404_signed_in_and_sign_in_when_anonymous(auth) -> None:
    assert outcome(auth.client.get("/assessments/999999")) == SIGN_IN
    auth.login("officer_a")
    assert auth.client.get("/assessments/999999").status_code == 404
    assert auth.client.get("/assessments/" + "9" * 30).status_code == 404  # beyond any integer
    assert auth.client.get(f"/assessments/{'9' * 30}/revisions/{'9' * 30}").status_code == 404


def test_autosave_without_a_session_gets_json_401(auth, bank, submitted: int) -> None:
    response = auth.client.post(
        f"/assessments/{submitted}/sections/{bank.sections[0].id}/autosave",
        json={},
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    assert response.status_code == 401
    assert response.json["signin"] == "/signin"

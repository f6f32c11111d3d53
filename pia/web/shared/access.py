"""Who is signed in, and the one door every view goes through to reach an assessment.

Every decision is pia.store.policy.decide's; this module only turns its answer into HTTP:
SIGN_IN -> redirect to /signin?next=<here> (401 JSON for JSON requests such as autosave),
NOT_FOUND -> 404 (the user may not learn that the assessment exists), FORBIDDEN -> 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from flask import abort, g, jsonify, redirect, request, session, url_for
from werkzeug.exceptions import Conflict

from pia.web.shared.db import get_session

if TYPE_CHECKING:
    from pia.store.models import Assessment, Evidence, User
    from pia.store.policy import Action

USER_ID_KEY = "user_id"
# The user's session version when this session began (pia.store.sessions).
SESSION_VERSION_KEY = "session_version"
# True when this session was opened with a second factor (or enrolled one): any later change to
# the account's factor raises its session version, so the flag cannot outlive the factor.
SECOND_FACTOR_KEY = "second_factor"


def signed_in_id() -> int | None:
    """The user id the session cookie carries, if any (not yet checked against the database)."""
    user_id = session.get(USER_ID_KEY)
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None


def _remember_user(user: User | None) -> User | None:
    from pia.store.sessions import session_is_current

    if user is not None and (
        not user.active or not session_is_current(user, session.get(SESSION_VERSION_KEY))
    ):
        # Deactivated, signed out everywhere or password changed since this session began: the
        # old cookie no longer opens anything.
        session.clear()
        user = None
    g.pia_user = user
    return user


def current_user() -> User | None:
    """The signed-in, active user of this request, or None (loaded once per request)."""
    if "pia_user" not in g:
        from pia.store.lookup import load_user

        user_id = signed_in_id()
        _remember_user(None if user_id is None else load_user(get_session(), user_id))
    return g.pia_user


def wants_json() -> bool:
    """True for requests made by scripts (autosave) rather than by following links."""
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def signin_redirect() -> NoReturn:
    if wants_json():
        response = jsonify(error="sign-in required", signin=url_for("accounts.signin"))
        response.status_code = 401
        abort(response)
    target = request.full_path if request.query_string else request.path
    abort(redirect(url_for("accounts.signin", next=target)))


def enforce(decision: object) -> None:
    """Turns a policy Decision into a redirect or an error; returns only on ALLOW."""
    from pia.store.policy import Decision

    if decision == Decision.ALLOW:
        return
    if decision == Decision.SIGN_IN:
        signin_redirect()
    if decision == Decision.NOT_FOUND:
        abort(404)
    abort(403)


class WrongStatusConflict(Conflict):
    """409 for an action the user may take, but not in the assessment's current status."""

    title = "Not possible in the assessment's current status"


def abort_wrong_status(action: str, status: str, detail: str = "") -> NoReturn:
    """409 naming the current status; nothing was changed."""
    from pia.store.policy import status_label

    what = action.replace("_", " ")
    message = detail or f"You cannot {what} this assessment now"
    raise WrongStatusConflict(
        description=f"{message}: its current status is “{status_label(status)}”. "
        "Nothing was changed. Go back to the assessment to see what can be done now."
    )


def require(action: Action, *, agency_id: int | None = None) -> User:
    """For actions on no particular assessment (create, reviewer list, admin): the allowed user."""
    from pia.store.policy import decide

    user = current_user()
    if agency_id is None and user is not None:
        agency_id = user.agency_id
    enforce(decide(user, action, None, agency_id=agency_id))
    assert user is not None  # decide never allows anonymous users
    return user


def assessment_or_abort(assessment_id: int, action: Action) -> Assessment:
    """The assessment, if the signed-in user may do `action` to it; otherwise abort as above."""
    return _load_or_abort(assessment_id, action, with_evidence=False)[0]


def assessment_with_evidence_or_abort(
    assessment_id: int, action: Action
) -> tuple[Assessment, tuple[Evidence, ...]]:
    """As assessment_or_abort, with the assessment's evidence (by question, then upload time)."""
    return _load_or_abort(assessment_id, action, with_evidence=True)


def _load_or_abort(
    assessment_id: int, action: Action, *, with_evidence: bool
) -> tuple[Assessment, tuple[Evidence, ...]]:
    from pia.store import evidence_for, get_assessment
    from pia.store.lookup import load_user_and_assessment
    from pia.store.policy import Decision, decide

    user_id = signed_in_id()
    if "pia_user" not in g and user_id is not None:
        # The usual case: nothing read yet, so the user and the assessment come in one statement.
        loaded = load_user_and_assessment(
            get_session(), user_id, assessment_id, with_evidence=with_evidence
        )
        user = _remember_user(loaded.user)
        assessment, evidence = loaded.assessment, loaded.evidence
    else:
        user = current_user()
        assessment = get_assessment(get_session(), assessment_id)
        evidence = ()
        if with_evidence and assessment is not None and user is not None:
            evidence = tuple(evidence_for(get_session(), assessment))
    if assessment is None:
        enforce(Decision.SIGN_IN if user is None else Decision.NOT_FOUND)
    decision = decide(user, action, assessment)
    if decision is Decision.WRONG_STATUS:
        from pia.store.policy import table_status

        assert assessment is not None
        abort_wrong_status(action.value, table_status(assessment))
    enforce(decision)
    assert assessment is not None  # decide never allows an action on no assessment
    g.pia_time_zone = assessment.agency.time_zone  # times about it show in its agency's zone
    return assessment, evidence

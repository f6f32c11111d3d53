"""THE access policy: who may do what to which assessment, in which status. Every view asks
`decide`, and every store operation asks `require`.

A pure function of the user, the action and the assessment (or agency): no database, no request.

Two questions, in this order:

1. May the user see the assessment at all (its scope)?
   - Anonymous or deactivated users: SIGN_IN for everything.
   - Officers see their own agency's assessments; another agency's is NOT_FOUND (they may not
     learn it exists).
   - Reviewers see assessments submitted at least once (one revision or more) by an agency in
     their remit; a draft never submitted, or one outside their remit, is NOT_FOUND. A reviewer's
     VIEW covers the submitted revisions: pages show reviewers revisions, never the draft.
   - Admins administer (agencies, users, bank inspection) and read no assessment: every
     assessment action is NOT_FOUND for them.
2. May the user's role do the action in the assessment's current status? That is PERMISSIONS, the
   one table of status x role x action below (docs/review.md prints it; a test keeps the two the
   same). A role that may never do the action is FORBIDDEN (403); a role that may, but not in the
   current status, gets WRONG_STATUS (409, naming the status).

Actions on no assessment: CREATE_ASSESSMENT (officers, in their own agency), LIST_SUBMITTED
(reviewers), ADMIN (admins).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from typing import Protocol

from pia.store.errors import NotAllowed, WrongStatus
from pia.store.models import (
    ADMIN,
    APPROVED,
    APPROVED_WITH_CONDITIONS,
    CHANGES_REQUESTED,
    DRAFT,
    IN_REVIEW,
    OFFICER,
    REJECTED,
    RESUBMITTED,
    REVIEWER,
    STATUS_LABELS,
    STATUSES,
    SUBMITTED,
    WITHDRAWN,
)


class Action(StrEnum):
    VIEW = "view"
    VIEW_REPORT = "view_report"
    DOWNLOAD_EVIDENCE = "download_evidence"
    EDIT = "edit"
    UPLOAD = "upload"
    REMOVE_EVIDENCE = "remove_evidence"
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    TAKE_UP = "take_up"
    COMMENT = "comment"
    REPLY = "reply"
    RESOLVE = "resolve"
    RATE = "rate"
    REQUEST_CHANGES = "request_changes"
    DECIDE = "decide"
    ADD_CONDITION = "add_condition"
    MARK_CONDITION_MET = "mark_condition_met"
    VERIFY_CONDITION = "verify_condition"
    REDACT = "redact"
    APPROVE_REDACTION = "approve_redaction"
    ALLOW_PUBLICATION = "allow_publication"
    PUBLISH = "publish"
    MODERATE_PUBLIC_COMMENTS = "moderate_public_comments"
    RESPOND_TO_PUBLIC_COMMENTS = "respond_to_public_comments"
    RECORD_MEETING = "record_meeting"
    EDIT_MEETING = "edit_meeting"
    REMOVE_MEETING = "remove_meeting"
    CREATE_ASSESSMENT = "create_assessment"
    LIST_SUBMITTED = "list_submitted"
    ADMIN = "admin"


class Decision(Enum):
    ALLOW = "allow"
    SIGN_IN = "sign_in"  # anonymous: send to the sign-in page
    NOT_FOUND = "not_found"  # 404: the user may not even know it exists
    FORBIDDEN = "forbidden"  # 403: may see it, may never do that
    WRONG_STATUS = "wrong_status"  # 409: may do that, but not in the assessment's current status

    @property
    def allowed(self) -> bool:
        return self is Decision.ALLOW


EVERY_STATUS = frozenset(STATUSES)
DECIDED = frozenset({APPROVED, APPROVED_WITH_CONDITIONS, REJECTED})
# The officer works on the draft whenever no reviewer is looking at a revision. Changing a
# submitted, decided or withdrawn assessment starts a new draft; while changes are requested the
# status stays until the officer resubmits.
WORKING = frozenset({DRAFT, SUBMITTED, CHANGES_REQUESTED, WITHDRAWN}) | DECIDED
UNDER_REVIEW = frozenset({IN_REVIEW, RESUBMITTED})
CONVERSATION = UNDER_REVIEW | {CHANGES_REQUESTED}
# Only an approved assessment (with or without conditions) is published.
PUBLISHABLE = frozenset({APPROVED, APPROVED_WITH_CONDITIONS})

# THE table: action -> role -> the statuses in which that role may do it. A role missing from an
# action's row may never do it.
PERMISSIONS: Mapping[Action, Mapping[str, frozenset[str]]] = {
    Action.VIEW: {OFFICER: EVERY_STATUS, REVIEWER: EVERY_STATUS},
    Action.VIEW_REPORT: {OFFICER: EVERY_STATUS, REVIEWER: EVERY_STATUS},
    Action.DOWNLOAD_EVIDENCE: {OFFICER: EVERY_STATUS, REVIEWER: EVERY_STATUS},
    Action.EDIT: {OFFICER: WORKING},
    Action.UPLOAD: {OFFICER: WORKING},
    Action.REMOVE_EVIDENCE: {OFFICER: WORKING},
    Action.SUBMIT: {OFFICER: frozenset({DRAFT, WITHDRAWN})},
    Action.RESUBMIT: {OFFICER: frozenset({CHANGES_REQUESTED})},
    Action.WITHDRAW: {OFFICER: frozenset({SUBMITTED}) | CONVERSATION},
    Action.TAKE_UP: {REVIEWER: frozenset({SUBMITTED})},
    Action.COMMENT: {REVIEWER: CONVERSATION},
    Action.REPLY: {OFFICER: CONVERSATION, REVIEWER: CONVERSATION},
    Action.RESOLVE: {REVIEWER: CONVERSATION},
    Action.RATE: {REVIEWER: UNDER_REVIEW},
    Action.REQUEST_CHANGES: {REVIEWER: UNDER_REVIEW},
    Action.DECIDE: {REVIEWER: UNDER_REVIEW},
    Action.ADD_CONDITION: {REVIEWER: frozenset({APPROVED_WITH_CONDITIONS})},
    # A condition outlives a new draft: it is met and verified whatever the status (its own
    # state, open -> met -> verified, decides what may happen to it).
    Action.MARK_CONDITION_MET: {OFFICER: EVERY_STATUS},
    Action.VERIFY_CONDITION: {REVIEWER: EVERY_STATUS},
    # Redactions belong to the assessment, not to one revision: the officer asks for them and a
    # reviewer approves them whatever the status, before anything is published.
    Action.REDACT: {OFFICER: EVERY_STATUS},
    Action.APPROVE_REDACTION: {REVIEWER: EVERY_STATUS},
    Action.ALLOW_PUBLICATION: {REVIEWER: PUBLISHABLE},
    Action.PUBLISH: {OFFICER: PUBLISHABLE},
    # The public's comments on a published revision outlive any new draft: the agency's officers
    # moderate them and answer them whatever the assessment's status.
    Action.MODERATE_PUBLIC_COMMENTS: {OFFICER: EVERY_STATUS},
    Action.RESPOND_TO_PUBLIC_COMMENTS: {OFFICER: EVERY_STATUS},
    # Community meetings are held while the draft is written and after the decision, while the
    # public comments: the officer keeps their record whatever the status.
    Action.RECORD_MEETING: {OFFICER: EVERY_STATUS},
    Action.EDIT_MEETING: {OFFICER: EVERY_STATUS},
    Action.REMOVE_MEETING: {OFFICER: EVERY_STATUS},
}
ASSESSMENT_ACTIONS = frozenset(PERMISSIONS)
TABLE_ROLES = (OFFICER, REVIEWER, ADMIN)


class Actor(Protocol):
    """What the policy reads of a user (models.User satisfies it)."""

    role: str
    active: bool
    agency_id: int | None

    @property
    def remit_ids(self) -> frozenset[int]: ...


class Target(Protocol):
    """What the policy reads of an assessment (models.Assessment satisfies it)."""

    agency_id: int
    revision_count: int
    status: str


def decide(
    user: Actor | None,
    action: Action,
    assessment: Target | None = None,
    *,
    agency_id: int | None = None,
) -> Decision:
    """May `user` do `action` (to `assessment`, or in agency `agency_id` for CREATE_ASSESSMENT)?"""
    if user is None or not user.active:
        return Decision.SIGN_IN
    if action in ASSESSMENT_ACTIONS:
        return _decide_on_assessment(user, action, assessment)
    if action is Action.CREATE_ASSESSMENT:
        if user.role != OFFICER or user.agency_id is None:
            return Decision.FORBIDDEN
        if agency_id is not None and agency_id != user.agency_id:
            return Decision.FORBIDDEN
        return Decision.ALLOW
    if action is Action.LIST_SUBMITTED:
        return Decision.ALLOW if user.role == REVIEWER else Decision.FORBIDDEN
    if action is Action.ADMIN:
        return Decision.ALLOW if user.role == ADMIN else Decision.FORBIDDEN
    return Decision.FORBIDDEN  # an action this policy does not know is never allowed


def _may_see(user: Actor, assessment: Target) -> bool:
    if user.role == OFFICER:
        return user.agency_id is not None and assessment.agency_id == user.agency_id
    if user.role == REVIEWER:
        return assessment.revision_count >= 1 and assessment.agency_id in user.remit_ids
    return False  # admins (and any unknown role) do not read assessments


def table_cell(status: str, role: str, action: Action) -> Decision:
    """What PERMISSIONS says for one cell, for a user who can see the assessment."""
    statuses = PERMISSIONS[action].get(role)
    if statuses is None:
        return Decision.FORBIDDEN
    return Decision.ALLOW if status in statuses else Decision.WRONG_STATUS


def _decide_on_assessment(user: Actor, action: Action, assessment: Target | None) -> Decision:
    if assessment is None or not _may_see(user, assessment):
        return Decision.NOT_FOUND
    return table_cell(assessment.status, user.role, action)


def allowed(
    user: Actor | None,
    action: Action,
    assessment: Target | None = None,
    *,
    agency_id: int | None = None,
) -> bool:
    """Shorthand for templates: show a link or button only when the action is allowed."""
    return decide(user, action, assessment, agency_id=agency_id) is Decision.ALLOW


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def require(
    user: Actor | None,
    action: Action,
    assessment: Target | None = None,
    *,
    agency_id: int | None = None,
) -> None:
    """Raise unless the action is allowed: the store's own check behind the web's.

    WrongStatus (naming the current status) when only the status stands in the way; NotAllowed
    otherwise.
    """
    decision = decide(user, action, assessment, agency_id=agency_id)
    if decision is Decision.ALLOW:
        return
    what = action.value.replace("_", " ")
    if decision is Decision.WRONG_STATUS and assessment is not None:
        raise WrongStatus(
            f"cannot {what}: the assessment is {status_label(assessment.status).lower()}",
            current_status=assessment.status,
        )
    raise NotAllowed(f"not allowed: {what}")


def permission_table_markdown() -> str:
    """PERMISSIONS as the Markdown table docs/review.md prints (a test keeps the two equal)."""
    short = {OFFICER: "O", REVIEWER: "R"}
    header = "| Action | " + " | ".join(status_label(s) for s in STATUSES) + " |"
    rule = "|---|" + "---|" * len(STATUSES)
    rows = [header, rule]
    for action, by_role in PERMISSIONS.items():
        cells = []
        for status in STATUSES:
            roles = [short[role] for role in (OFFICER, REVIEWER) if status in by_role.get(role, ())]
            cells.append(" ".join(roles) or "·")
        rows.append(f"| {action.value} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"

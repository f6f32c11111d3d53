"""THE access policy: who may do what to which assessment. Every view asks `decide`.

A pure function of the user, the action and the assessment (or agency): no database, no request.

- Anonymous or deactivated users: SIGN_IN for everything.
- Officers: everything on their own agency's assessments and creating assessments in their agency.
  Another agency's assessment is NOT_FOUND (they may not learn it exists). Administration and the
  reviewer's list are FORBIDDEN.
- Reviewers: VIEW, VIEW_REPORT and DOWNLOAD_EVIDENCE on assessments submitted at least once (one
  revision or more) by an agency in their remit; the reviewer's list. A draft never submitted, or an
  assessment outside their remit, is NOT_FOUND. Changing a visible assessment (EDIT, SUBMIT, UPLOAD)
  is FORBIDDEN, as are creating assessments and administration. A reviewer's VIEW covers the
  submitted revisions: pages show reviewers revisions, never the officer's current draft.
- Admins: administration (agencies, users, bank inspection). They do not read assessments: every
  assessment action is NOT_FOUND for them, so an admin account cannot be used to read the content
  of assessments; creating assessments and the reviewer's list are FORBIDDEN.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Protocol

from pia.store.errors import NotAllowed
from pia.store.models import ADMIN, OFFICER, REVIEWER


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    SUBMIT = "submit"
    UPLOAD = "upload"
    DOWNLOAD_EVIDENCE = "download_evidence"
    VIEW_REPORT = "view_report"
    CREATE_ASSESSMENT = "create_assessment"
    LIST_SUBMITTED = "list_submitted"
    ADMIN = "admin"


class Decision(Enum):
    ALLOW = "allow"
    SIGN_IN = "sign_in"  # anonymous: send to the sign-in page
    NOT_FOUND = "not_found"  # 404: the user may not even know it exists
    FORBIDDEN = "forbidden"  # 403: may see it, may not do that

    @property
    def allowed(self) -> bool:
        return self is Decision.ALLOW


# Actions on one assessment.
ASSESSMENT_ACTIONS = frozenset(
    {
        Action.VIEW,
        Action.EDIT,
        Action.SUBMIT,
        Action.UPLOAD,
        Action.DOWNLOAD_EVIDENCE,
        Action.VIEW_REPORT,
    }
)
# What a reviewer may do to a submitted assessment in their remit.
REVIEWER_READS = frozenset({Action.VIEW, Action.VIEW_REPORT, Action.DOWNLOAD_EVIDENCE})


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


def _decide_on_assessment(user: Actor, action: Action, assessment: Target | None) -> Decision:
    if assessment is None:
        return Decision.NOT_FOUND
    if user.role == OFFICER:
        if user.agency_id is not None and assessment.agency_id == user.agency_id:
            return Decision.ALLOW
        return Decision.NOT_FOUND
    if user.role == REVIEWER:
        if assessment.revision_count < 1 or assessment.agency_id not in user.remit_ids:
            return Decision.NOT_FOUND
        return Decision.ALLOW if action in REVIEWER_READS else Decision.FORBIDDEN
    return Decision.NOT_FOUND  # admins (and any unknown role) do not read assessments


def allowed(
    user: Actor | None,
    action: Action,
    assessment: Target | None = None,
    *,
    agency_id: int | None = None,
) -> bool:
    """Shorthand for templates: show a link or button only when the action is allowed."""
    return decide(user, action, assessment, agency_id=agency_id) is Decision.ALLOW


def require(
    user: Actor | None,
    action: Action,
    assessment: Target | None = None,
    *,
    agency_id: int | None = None,
) -> None:
    """Raise NotAllowed unless the action is allowed: the store's own check behind the web's."""
    if decide(user, action, assessment, agency_id=agency_id) is not Decision.ALLOW:
        raise NotAllowed(f"not allowed: {action.value.replace('_', ' ')}")

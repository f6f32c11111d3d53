"""The store's verbs in one place (they live in accounts, assessments, submission, evidence,
listing and audit)."""

from pia.store.accounts import (
    authenticate,
    create_agency,
    create_user,
    get_agency,
    get_agency_by_name,
    get_user,
    get_user_by_email,
    list_agencies,
    list_users,
    set_agency_time_zone,
    set_password,
    update_user,
)
from pia.store.assessments import (
    create_assessment,
    evaluate_assessment,
    get_assessment,
    merge_changes,
    save_answers,
)
from pia.store.audit import events_for, recent_events, record_event
from pia.store.evidence import add_evidence, check_upload, evidence_for, get_evidence
from pia.store.listing import (
    AssessmentSummary,
    Page,
    list_assessments,
    list_submitted,
    page_of_users,
)
from pia.store.notifications import (
    DueItem,
    NotificationKind,
    enqueue_notification,
    queue_due_reminders,
)
from pia.store.submission import (
    blocking_issues,
    get_revision,
    revisions_for,
    submit,
    verify_revision,
)

__all__ = [
    "AssessmentSummary",
    "DueItem",
    "NotificationKind",
    "Page",
    "add_evidence",
    "authenticate",
    "blocking_issues",
    "check_upload",
    "create_agency",
    "create_assessment",
    "create_user",
    "enqueue_notification",
    "evaluate_assessment",
    "events_for",
    "evidence_for",
    "get_agency",
    "get_agency_by_name",
    "get_assessment",
    "get_evidence",
    "get_revision",
    "get_user",
    "get_user_by_email",
    "list_agencies",
    "list_assessments",
    "list_submitted",
    "list_users",
    "merge_changes",
    "page_of_users",
    "queue_due_reminders",
    "recent_events",
    "record_event",
    "revisions_for",
    "save_answers",
    "set_agency_time_zone",
    "set_password",
    "submit",
    "update_user",
    "verify_revision",
]

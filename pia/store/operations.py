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
from pia.store.comments import add_comment, reply, resolve
from pia.store.conditions import add_condition, mark_condition_met, verify_condition
from pia.store.details import delete_draft, duplicate_assessment, set_archived, update_details
from pia.store.evidence import (
    add_evidence,
    check_upload,
    evidence_for,
    get_evidence,
    remove_evidence,
    replace_evidence,
)
from pia.store.listing import (
    AssessmentFilter,
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
from pia.store.plan_items import adopt_plan_item, complete_plan_item, plan_items_for
from pia.store.record import overdue_counts, review_record, threads_for
from pia.store.review import record_decision, request_changes, set_board_rating, take_up, withdraw
from pia.store.review_checks import ConditionInput
from pia.store.submission import (
    blocking_issues,
    get_revision,
    resubmit,
    revisions_for,
    submit,
    verify_revision,
)

__all__ = [
    "AssessmentFilter",
    "AssessmentSummary",
    "ConditionInput",
    "DueItem",
    "NotificationKind",
    "Page",
    "add_comment",
    "add_condition",
    "add_evidence",
    "adopt_plan_item",
    "authenticate",
    "blocking_issues",
    "check_upload",
    "complete_plan_item",
    "create_agency",
    "create_assessment",
    "create_user",
    "delete_draft",
    "duplicate_assessment",
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
    "mark_condition_met",
    "merge_changes",
    "overdue_counts",
    "page_of_users",
    "plan_items_for",
    "queue_due_reminders",
    "recent_events",
    "record_decision",
    "record_event",
    "remove_evidence",
    "replace_evidence",
    "reply",
    "request_changes",
    "resolve",
    "resubmit",
    "review_record",
    "revisions_for",
    "save_answers",
    "set_agency_time_zone",
    "set_archived",
    "set_board_rating",
    "set_password",
    "submit",
    "take_up",
    "threads_for",
    "update_details",
    "update_user",
    "verify_condition",
    "verify_revision",
    "withdraw",
]

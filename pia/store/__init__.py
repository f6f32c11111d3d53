"""Persistence: SQLAlchemy 2 models, the access policy and the operations on them. No Flask.

Configuration (pia.store.config): `instance_dir()` (PIA_INSTANCE, default ./instance, created),
`database_url()` (PIA_DATABASE_URL, default SQLite `<instance>/pia.sqlite3`), `bank_dir()`
(PIA_BANK, default ./questions). Password hashing is argon2id with the RFC 9106 low-memory
profile; PIA_ARGON2_PROFILE=test selects a minimal-cost argon2id for test suites only.

Database (pia.store.db): `make_engine(url)` (SQLite: WAL, foreign keys, busy timeout; PostgreSQL:
pre-ping; postgres:// and postgresql:// URLs use psycopg 3), `make_session_factory(engine)` (objects
stay readable after commit), `make_read_session_factory(engine)` (no transaction, refuses writes:
for pages that only read), `sqlite_url(instance_dir)`, `upgrade(url)` (Alembic migrations in
pia/store/migrations, configured in code), `ping(engine) -> bool`.

Models (pia.store.models): Agency, User (role officer/reviewer/admin, agency for officers, remit
for reviewers, `remit_ids`), Assessment (answers, notes, lock_version, cached overall_level and
progress_percent, revision_count, submitted_at/submitted_level of the latest submission), Revision
(immutable: answers, notes, evaluation dict, bank id/version, fingerprint, profiles, `meta`
snapshot; the ORM refuses changes and deletes, a database trigger refuses UPDATE), Evidence (bytes
deferred), AuditEvent (seq, prev_hash, hash), AuditChainHead, OutboxMessage, ReminderSent,
SigninAttempts (the sign-in limit's counts; see pia.store.signin_limit), PasswordReset.

Policy (pia.store.policy): `decide(user, action, assessment=None, *, agency_id=None) -> Decision`
(ALLOW, SIGN_IN, NOT_FOUND, FORBIDDEN), `allowed(...) -> bool`, `require(...)` (raises NotAllowed).
The rules are in that module's docstring.

Operations (pia.store.operations, all re-exported here). Every operation that changes something is
one unit of work: it commits on success and rolls back on error, and writes an audit event. Each
also asks the policy itself and raises NotAllowed, behind the web layer's own checks.
- Accounts: create_agency(session, name, actor=None), get_agency, get_agency_by_name,
  list_agencies, set_agency_time_zone(session, agency, time_zone, actor=None) (an IANA name);
  create_user(session, *, email, name, role, password, agency=None, remit=(), actor=None),
  update_user(session, user, actor, *, name, role, agency, remit, active),
  set_password(session, user, password, actor=None), get_user, get_user_by_email, list_users;
  authenticate(session, email, password) -> User | None (argon2id; same cost for unknown emails;
  records signin.succeeded / signin.failed).
- Assessments (pia.store.assessments, pia.store.submission): create_assessment(session, bank,
  actor, *, title, technology, vendor, product, product_version, profiles) -> Assessment;
  save_answers(session, bank, assessment, actor, *,
  values, notes, expected_version, clear=()) -> Evaluation (raises StaleVersion, InvalidInput;
  empty values clear answers, blank notes remove notes, a save changing nothing writes nothing,
  a save changing a submitted assessment makes it a draft again);
  submit(session, bank, assessment, actor, expected_version) -> Revision (raises NotReady,
  StaleVersion, AlreadySubmitted); evaluate_assessment(bank, assessment) -> Evaluation;
  blocking_issues(evaluation) -> (missing, invalid); get_assessment(session, id);
  get_revision(session, assessment, number); revisions_for(session, assessment) (newest first);
  verify_revision(revision) -> bool; merge_changes(...) (what a save would store).
- Lists (two queries per page whatever the row count): list_assessments(session, officer, *,
  page, per_page=25, filters=AssessmentFilter(text, status, level, sort)) and
  list_submitted(session, reviewer, *, page, per_page=25) -> Page of
  AssessmentSummary (frozen rows); page_of_users(session, *, page, per_page=50) -> Page of
  User (three queries whatever the number of accounts).
- Lookup (pia.store.lookup): load_user_and_assessment(session, user_id, assessment_id, *,
  with_evidence=False) -> UserAndAssessment (user, assessment, evidence): one statement for
  what every page about an assessment reads first; load_user(session, user_id).
- Evidence: add_evidence(session, assessment, actor, *, question_id, filename, data, max_bytes,
  bank=None) -> Evidence (raises UploadRejected(reason)); check_upload(filename, data, max_bytes);
  evidence_for(session, assessment); get_evidence(session, id).
- Review (pia.store.review, comments, conditions, record; docs/review.md): take_up, withdraw,
  add_comment, reply, resolve, set_board_rating, request_changes, resubmit, record_decision
  (with ConditionInput conditions), add_condition, mark_condition_met, verify_condition; each
  locks the assessment, asks the status x role x action table (WrongStatus naming the status),
  refuses a form built from an older revision (StaleForm), and audits. review_record(session,
  assessment, number) -> pia.report ReviewRecord (a fixed number of queries); threads_for;
  overdue_counts. Evidence: remove_evidence, replace_evidence (the draft's; rows stay for the
  revisions that hold them); a revision freezes its evidence set (Revision.evidence).
- Publication (pia.store.redaction, pia.store.publication; docs/publication.md):
  request_redaction, withdraw_redaction, approve_redaction, redactions_for; allow_publication,
  publish_for_comment, publish_final (NotPublishable, a 409, when it may not happen yet),
  public_report_data, latest_publication, get_publication; the public list without the public
  data (pia.store.public_listing): public_listing, recent_publications, publication_head,
  listing_version (for ETags), comment_period_open.
- Audit: record_event(session, action, *, actor, assessment, agency_id, detail) (commits),
  events_for(session, assessment), recent_events(session). Events form one hash chain, appended
  when their transaction commits (pia.store.audit_chain: verify_chain(session) -> ChainReport);
  pia.store.audit_listing.page_of_events(session, AuditFilter, page=) for administrators.
- Notifications (pia.store.notifications): enqueue_notification(session, kind, assessment, *,
  actor=None, revision=None, lines=()) -> list[OutboxMessage], in the caller's transaction
  (NotificationKind: SUBMITTED to the agency's reviewers; COMMENTED, CHANGES_REQUESTED, DECIDED,
  DUE_SOON to its officers); queue_due_reminders(session, today) over DUE_DATE_SOURCES (DueItem);
  sending: pia.store.mail (parse_smtp_url, send_due, start_background_sender).
- Community meetings (pia.store.meetings): record_meeting, update_meeting, remove_meeting (audited,
  materials checked like evidence), meetings_for, meetings_summary(session, assessment) ->
  MeetingsSummary (meetings, count, required by the chosen profiles).
- Compliance calendar (pia.store.calendar): calendar_entries(session, bank, agency_ids, today=)
  -> CalendarEntry list (comment period end, review date, condition due dates, the profiles'
  declared dates); registered in DUE_DATE_SOURCES. pia.store.ical.feed_bytes builds the .ics;
  pia.store.calendar_feed keeps each agency's secret feed address (reset_feed, agency_for_token).
- Comparison (pia.store.comparison): compare_stored_revisions(session, bank, assessment, old,
  new) -> pia.engine.Comparison | None; revisions_to_compare(session, assessment, numbers).

Errors (pia.store.errors), all StoreError(PiaError): InvalidInput(message, field), NotAllowed,
NotFound, StaleVersion(current_answers, current_notes, current_version), NotReady(missing,
invalid), WrongStatus(current_status) and its AlreadySubmitted, StaleForm, UploadRejected(reason);
models.ImmutableRevision.
"""

from pia.store import calendar as _calendar  # noqa: F401 (registers its dates for reminders)
from pia.store.db import make_engine, make_session_factory, ping, sqlite_url, upgrade
from pia.store.errors import (
    AlreadySubmitted,
    InvalidInput,
    NotAllowed,
    NotFound,
    NotReady,
    StaleVersion,
    StoreError,
    UploadRejected,
)
from pia.store.models import (
    ADMIN,
    DRAFT,
    OFFICER,
    REVIEWER,
    ROLES,
    SUBMITTED,
    Agency,
    Assessment,
    AuditEvent,
    Evidence,
    PlanItem,
    Revision,
    User,
)
from pia.store.operations import *  # noqa: F403
from pia.store.operations import __all__ as _operations
from pia.store.policy import Action, Decision, allowed, decide, require
from pia.store.public_models import (
    CommentResponse,
    CommunityMeeting,
    Publication,
    PublicationPermission,
    PublicComment,
    Redaction,
)
from pia.store.review_models import BoardRating, Comment, Condition, ReviewDecision

__all__ = [
    "CommentResponse",
    "CommunityMeeting",
    "Publication",
    "PublicationPermission",
    "PublicComment",
    "Redaction",
    "ADMIN",
    "DRAFT",
    "OFFICER",
    "REVIEWER",
    "ROLES",
    "SUBMITTED",
    "Action",
    "Agency",
    "BoardRating",
    "Comment",
    "Condition",
    "ReviewDecision",
    "AlreadySubmitted",
    "Assessment",
    "AuditEvent",
    "Decision",
    "Evidence",
    "PlanItem",
    "InvalidInput",
    "NotAllowed",
    "NotFound",
    "NotReady",
    "Revision",
    "StaleVersion",
    "StoreError",
    "UploadRejected",
    "User",
    "allowed",
    "decide",
    "make_engine",
    "make_session_factory",
    "ping",
    "require",
    "sqlite_url",
    "upgrade",
    *_operations,
]

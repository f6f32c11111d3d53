"""Publication: the board allows publishing a decided revision, the officer publishes it for
public comment over a period, then, after the period, as the final report.

Each publication is a frozen row (Publication.public_data, documented in docs/publication.md,
with its own fingerprint) built from the revision with the bank's sensitive questions and the
approved redactions withheld (pia.report.public). A later publication supersedes an earlier one;
none is ever changed. Publishing while a redaction awaits approval, without the board's
permission, or the final version before the comment period ends, is refused (NotPublishable, a
409) and writes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine import Bank, evaluate
from pia.report.answers import note_texts, plain_data
from pia.report.public import PublicationFacts, build_public_data, public_fingerprint
from pia.report.public_comment_record import record_to_dict as public_comment_to_dict
from pia.store import audit
from pia.store.comment_record import public_comment_record
from pia.store.comments import latest_revision
from pia.store.errors import InvalidInput, NotFound, StoreError
from pia.store.evidence import revision_evidence
from pia.store.lifecycle import check_revision, lock_assessment
from pia.store.models import Assessment, Revision, User, utcnow
from pia.store.policy import Action, require
from pia.store.public_listing import date_in_zone
from pia.store.public_models import (
    STAGE_COMMENT,
    STAGE_FINAL,
    Publication,
    PublicationPermission,
)
from pia.store.record import review_record
from pia.store.redaction import awaiting_approval, redactions_for, withholding_for
from pia.store.report_meta import iso, revision_meta
from pia.store.review_models import ReviewDecision
from pia.store.transaction import committing

PUBLICATION_ALLOWED = "publication.allowed"
PUBLISHED_FOR_COMMENT = "publication.published_for_comment"
PUBLISHED_FINAL = "publication.published_final"
PUBLISHABLE_OUTCOMES = frozenset({"approved", "approved_with_conditions"})
NOTE_MAX = 2000


class NotPublishable(StoreError):
    """Publishing cannot happen yet (no permission, redactions awaiting approval, the comment
    period still open...): nothing was written. The web answers 409 with the message."""


def _today(assessment: Assessment, today: date | None) -> date:
    """Today where the agency is: comment periods are dates there, as the public pages read them."""
    return today or date_in_zone(assessment.agency.time_zone)


def _latest_revision(session: Session, assessment: Assessment) -> Revision:
    try:
        return latest_revision(session, assessment)
    except NotFound:
        raise NotPublishable("this assessment has no submitted revision to publish") from None


def _decision(session: Session, assessment: Assessment, number: int) -> ReviewDecision | None:
    return session.scalars(
        select(ReviewDecision).where(
            ReviewDecision.assessment_id == assessment.id,
            ReviewDecision.revision_number == number,
        )
    ).first()


def publication_permission(
    session: Session, assessment: Assessment, number: int
) -> PublicationPermission | None:
    return session.scalars(
        select(PublicationPermission).where(
            PublicationPermission.assessment_id == assessment.id,
            PublicationPermission.revision_number == number,
        )
    ).first()


def allow_publication(
    session: Session, assessment: Assessment, actor: User, *, revision: int, note: str = ""
) -> PublicationPermission:
    """The board allows publication of the approved revision it decided (idempotent)."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.ALLOW_PUBLICATION, assessment)
        check_revision(assessment, revision)
        note = (note or "").strip()
        if len(note) > NOTE_MAX:
            raise InvalidInput(f"the note is longer than {NOTE_MAX} characters", field="note")
        # The policy allows this only while the assessment is approved (with or without
        # conditions), which the decision on its latest revision made it; the decision's own
        # outcome is checked again where it is recorded.
        decision = _decision(session, assessment, revision)
        if decision is not None and decision.outcome not in PUBLISHABLE_OUTCOMES:
            raise NotPublishable(f"revision {revision} was not approved: it cannot be published")
        permission = publication_permission(session, assessment, revision)
        if permission is None:
            permission = PublicationPermission(
                assessment_id=assessment.id,
                revision_number=revision,
                note=note,
                allowed_by_id=actor.id,
            )
            session.add(permission)
            audit.add_event(
                session,
                PUBLICATION_ALLOWED,
                actor=actor,
                assessment=assessment,
                detail={"revision": revision},
            )
    return permission


def public_report_data(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    revision: Revision,
    *,
    stage: str,
    published_at: str,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> dict[str, Any]:
    """The public data of `revision` as it would be published now, with the approved redactions
    and the bank's sensitive questions withheld."""
    if revision.bank_id != bank.id:
        raise NotPublishable(
            f"revision {revision.number} was answered against question bank {revision.bank_id}; "
            f"this server runs {bank.id}"
        )
    profiles = tuple(p for p in revision.profiles or () if p in bank.profiles)
    evaluation = evaluate(bank, revision.answers or {}, profiles)
    record = review_record(session, assessment, revision.number)
    facts = PublicationFacts(
        stage=stage,
        published_at=published_at,
        assessment=assessment.id,
        agency=assessment.agency.name,
        revision=revision.number,
        revision_fingerprint=revision.fingerprint,
        comment_opens_on=opens_on.isoformat() if opens_on else "",
        comment_closes_on=closes_on.isoformat() if closes_on else "",
    )
    data = build_public_data(
        bank,
        evaluation,
        revision.answers or {},
        revision.notes or {},
        revision_meta(assessment, revision),
        revision_evidence(session, revision),
        facts,
        withholding_for(
            redactions_for(session, assessment),
            plain_data(dict(revision.answers or {})),
            note_texts(revision.notes or {}),
        ),
        None if record.is_empty else record,
    )
    if stage == STAGE_FINAL:
        # The final report carries what the public said and how the agency answered, frozen
        # with it (approved comments only: rejected and pending ones are counted, not shown).
        data["public_comment"] = public_comment_to_dict(
            public_comment_record(session, assessment, bank)
        )
    return data


def _ready_to_publish(session: Session, assessment: Assessment) -> Revision:
    """The revision to publish, once the board allowed it and every redaction is approved."""
    revision = _latest_revision(session, assessment)
    if publication_permission(session, assessment, revision.number) is None:
        raise NotPublishable(
            f"the board has not allowed publication of revision {revision.number} yet"
        )
    waiting = awaiting_approval(redactions_for(session, assessment))
    if waiting:
        raise NotPublishable(
            f"{len(waiting)} redaction(s) await a reviewer's approval; nothing is published "
            "until every redaction is approved"
        )
    return revision


def _publish(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    revision: Revision,
    stage: str,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> Publication:
    now = utcnow().replace(microsecond=0)
    data = public_report_data(
        session,
        bank,
        assessment,
        revision,
        stage=stage,
        published_at=iso(now),
        opens_on=opens_on,
        closes_on=closes_on,
    )
    publication = Publication(
        assessment_id=assessment.id,
        agency_id=assessment.agency_id,
        revision_number=revision.number,
        stage=stage,
        comment_opens_on=opens_on,
        comment_closes_on=closes_on,
        public_data=data,
        fingerprint=public_fingerprint(data),
        published_by_id=actor.id,
        published_at=now,
        title=str(data["meta"]["title"])[:200],
        overall_level=str(data["evaluation"]["overall"]["level"])[:50],
    )
    session.add(publication)
    session.flush()
    audit.add_event(
        session,
        PUBLISHED_FOR_COMMENT if stage == STAGE_COMMENT else PUBLISHED_FINAL,
        actor=actor,
        assessment=assessment,
        detail={
            "publication": publication.id,
            "revision": revision.number,
            "fingerprint": publication.fingerprint,
            **(
                {"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()}
                if opens_on and closes_on
                else {}
            ),
        },
    )
    return publication


def check_comment_period(opens_on: object, closes_on: object, today: date) -> tuple[date, date]:
    if not isinstance(opens_on, date):
        raise InvalidInput("enter the date the comment period opens", field="opens_on")
    if not isinstance(closes_on, date):
        raise InvalidInput("enter the date the comment period closes", field="closes_on")
    if opens_on < today:
        raise InvalidInput(
            f"the comment period cannot open in the past (today is {today.isoformat()})",
            field="opens_on",
        )
    if closes_on <= opens_on:
        raise InvalidInput(
            "the comment period must close after the day it opens", field="closes_on"
        )
    return opens_on, closes_on


def publish_for_comment(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    *,
    opens_on: date | None,
    closes_on: date | None,
    today: date | None = None,
) -> Publication:
    """Publish the allowed revision for public comment from `opens_on` to `closes_on`."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.PUBLISH, assessment)
        opens_on, closes_on = check_comment_period(opens_on, closes_on, _today(assessment, today))
        revision = _ready_to_publish(session, assessment)
        return _publish(
            session, bank, assessment, actor, revision, STAGE_COMMENT, opens_on, closes_on
        )


def publish_final(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    *,
    today: date | None = None,
) -> Publication:
    """Publish the final version, once the comment period of the last publication ended."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.PUBLISH, assessment)
        for_comment = session.scalars(
            select(Publication)
            .where(Publication.assessment_id == assessment.id, Publication.stage == STAGE_COMMENT)
            .order_by(Publication.id.desc())
        ).first()
        if for_comment is None or for_comment.comment_closes_on is None:
            raise NotPublishable(
                "publish the assessment for public comment first: the final version follows "
                "the comment period"
            )
        if _today(assessment, today) <= for_comment.comment_closes_on:
            raise NotPublishable(
                "the comment period closes on "
                f"{for_comment.comment_closes_on.isoformat()}; the final version can be "
                "published after that day"
            )
        revision = _ready_to_publish(session, assessment)
        return _publish(session, bank, assessment, actor, revision, STAGE_FINAL)


def latest_publication(session: Session, assessment_id: int) -> Publication | None:
    return session.scalars(
        select(Publication)
        .where(Publication.assessment_id == assessment_id)
        .order_by(Publication.id.desc())
    ).first()


def publications_for(session: Session, assessment: Assessment) -> list[Publication]:
    return list(
        session.scalars(
            select(Publication)
            .where(Publication.assessment_id == assessment.id)
            .order_by(Publication.id.desc())
        )
    )


def get_publication(session: Session, publication_id: int) -> Publication | None:
    if isinstance(publication_id, bool) or not 0 < publication_id < 2**31:
        return None
    return session.get(Publication, publication_id)

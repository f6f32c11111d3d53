"""Redactions approved after publication, in the store, on SQLite and PostgreSQL: the item is
withdrawn from every publication that shows it (dated in the agency's time zone), the served data
no longer shows it anywhere (answers, notes, evidence, finding triggers) while the stored public
data and its fingerprint stay as published, and the approval's audit event names the
publications."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.report.public import AMENDMENT, public_fingerprint
from pia.store import (
    AuditEvent,
    create_assessment,
    record_decision,
    save_answers,
    submit,
    take_up,
)
from pia.store.details import set_archived
from pia.store.errors import WrongStatus
from pia.store.evidence import add_evidence
from pia.store.models import Evidence
from pia.store.public_listing import date_in_zone, publication_head
from pia.store.public_models import Publication, PublicationWithdrawal
from pia.store.publication import allow_publication, publish_final, publish_for_comment
from pia.store.redaction import approve_redaction, request_redaction, withdraw_redaction
from pia.store.withdrawal import WithdrawalVersion, served_public_data, withdrawals_for

SECRET = "Secret product 3f9a"
NOTE_SECRET = "Call Jane on 555-0143"
FILE_BYTES = b"%PDF-1.4 vendor's confidential price list 8d21"
TODAY = date.today()


def published(session: Session, bank: Bank, cast: Any, *, final: bool = False) -> Any:
    """An approved assessment published for comment (and, with `final`, as the final version)
    with an answer, a note and an evidence file that the public reads."""
    assessment = create_assessment(session, bank, cast.officer, title="Pilot", profiles=["wa"])
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"product_name": SECRET, "mode": "search", "threshold": 80},
        notes={"mode": NOTE_SECRET},
        expected_version=0,
    )
    add_evidence(
        session,
        assessment,
        cast.officer,
        question_id="threshold",
        filename="prices.pdf",
        data=FILE_BYTES,
        max_bytes=100_000,
        bank=bank,
    )
    submit(session, bank, assessment, cast.officer, assessment.lock_version)
    take_up(session, assessment, cast.reviewer, revision=1)
    record_decision(
        session,
        assessment,
        cast.reviewer,
        revision=1,
        outcome="approved",
        rationale="Proportionate.",
        meeting_on=TODAY,
    )
    allow_publication(session, assessment, cast.reviewer, revision=1)
    opens = date_in_zone(cast.own.time_zone)  # the agency's today
    closes = opens + timedelta(days=3)
    publish_for_comment(session, bank, assessment, cast.officer, opens_on=opens, closes_on=closes)
    if final:
        publish_final(session, bank, assessment, cast.officer, today=closes + timedelta(days=1))
    return assessment


def redact(session: Session, bank: Bank, cast: Any, assessment: Any, kind: str, target: str,
           reason: str = "personal_data") -> Any:  # fmt: skip
    redaction = request_redaction(
        session, bank, assessment, cast.officer, kind=kind, target=target, reason=reason
    )
    return approve_redaction(session, assessment, cast.reviewer, redaction.id)


def publications(session: Session, assessment: Any) -> list[Publication]:
    session.expire_all()
    return list(
        session.scalars(
            select(Publication)
            .where(Publication.assessment_id == assessment.id)
            .order_by(Publication.id)
        )
    )


def served(session: Session, publication: Publication) -> dict[str, Any]:
    return dict(served_public_data(publication, withdrawals_for(session, publication.id), {}))


def test_an_approval_after_publication_withdraws_the_items_from_every_publication(
    session, bank, cast
) -> None:
    assessment = published(session, bank, cast, final=True)
    comment, final = publications(session, assessment)
    stored = {p.id: (p.fingerprint, repr(p.public_data)) for p in (comment, final)}
    for kind, target in (("answer", "product_name"), ("note", "mode"), ("answer", "threshold")):
        redact(session, bank, cast, assessment, kind, target)
    file_id = session.scalar(select(Evidence.id).where(Evidence.assessment_id == assessment.id))
    redact(session, bank, cast, assessment, "evidence", str(file_id), "commercial_confidence")

    withdrawals = list(session.scalars(select(PublicationWithdrawal)))
    day = date_in_zone(cast.own.time_zone, withdrawals[0].withdrawn_at)
    marker = f"[withheld after publication on {day.isoformat()}: personal data]"
    for publication in publications(session, assessment):
        # The record of what was published is untouched.
        assert (publication.fingerprint, repr(publication.public_data)) == stored[publication.id]
        assert public_fingerprint(publication.public_data) == publication.fingerprint
        assert SECRET in repr(publication.public_data)
        data = served(session, publication)
        text = repr(data)
        assert SECRET not in text and NOTE_SECRET not in text and "prices.pdf" not in text
        assert data["answers"]["product_name"] == marker
        assert data["answers"]["threshold"] == marker
        assert data["notes"]["mode"] == marker
        [entry] = data["evidence"]
        assert entry == {
            "question": "threshold",
            "filename": f"[withheld after publication on {day}: commercial confidence]",
            "sha256": "",
            "size": 0,
        }
        # The finding the withheld threshold triggered no longer quotes it.
        [trigger] = data["evaluation"]["findings"][0]["triggers"]
        assert trigger["id"] == "threshold" and trigger["display"] == marker
        assert {"kind": "note", "question": "mode", "reason": "personal data",
                "withdrawn_on": day.isoformat()} in data["withheld"]  # fmt: skip
        assert data[AMENDMENT] == {
            "original_fingerprint": publication.fingerprint,
            "withdrawn": 4,
        }
        version = WithdrawalVersion.of(withdrawals_for(session, publication.id))
        assert version.count == 4 and version.tag.startswith("w4.")
        head = publication_head(session, publication.id)
        assert head is not None and head[1].withdrawn == 4
    approvals = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "redaction.approved")
            .order_by(AuditEvent.id)
        )
    )
    assert len(approvals) == 4
    for event in approvals:
        assert event.detail["withdrawn_from_publications"] == [comment.id, final.id]


def test_what_the_publication_never_showed_is_not_withdrawn(session, bank, cast) -> None:
    assessment = create_assessment(session, bank, cast.officer, title="Pilot", profiles=["wa"])
    # Approved before anything is published: no publication, nothing withdrawn, no mention.
    before = request_redaction(
        session, bank, assessment, cast.officer, kind="answer", target="mode", reason="security"
    )
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"product_name": SECRET, "mode": "search", "threshold": 99.5},
        expected_version=0,
    )
    submit(session, bank, assessment, cast.officer, assessment.lock_version)
    take_up(session, assessment, cast.reviewer, revision=1)
    approve_redaction(session, assessment, cast.reviewer, before.id)
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "redaction.approved"
    assert "withdrawn_from_publications" not in event.detail
    record_decision(
        session,
        assessment,
        cast.reviewer,
        revision=1,
        outcome="approved",
        rationale="Fine.",
        meeting_on=TODAY,
    )
    allow_publication(session, assessment, cast.reviewer, revision=1)
    publish_for_comment(
        session, bank, assessment, cast.officer, opens_on=TODAY, closes_on=TODAY + timedelta(1)
    )
    # Withheld at publication already: asking again (another reason) and approving changes
    # nothing public. Unanswered (the date) or hidden by a condition (the warrant): nothing.
    redact(session, bank, cast, assessment, "answer", "mode", "ongoing_investigation")
    redact(session, bank, cast, assessment, "answer", "tested_on")
    redact(session, bank, cast, assessment, "answer", "warrant")
    redact(session, bank, cast, assessment, "note", "product_name")
    assert session.scalars(select(PublicationWithdrawal)).all() == []
    [publication] = publications(session, assessment)
    assert served_public_data(publication, [], {}) is publication.public_data
    assert withdrawals_for(session, publication.id) == []
    assert publication.public_data["answers"]["mode"] == "[withheld: security]"


def test_a_withdrawal_stays_when_its_redaction_changes_or_is_taken_back(
    session, bank, cast
) -> None:
    assessment = published(session, bank, cast)
    redaction = redact(session, bank, cast, assessment, "answer", "product_name")
    [publication] = publications(session, assessment)
    first = served(session, publication)
    # Asked again with another reason, then approved: the item stays down, as first withdrawn.
    again = request_redaction(
        session, bank, assessment, cast.officer, kind="answer", target="product_name",
        reason="security",
    )  # fmt: skip
    assert SECRET not in repr(served(session, publication))
    approve_redaction(session, assessment, cast.reviewer, again.id)
    assert served(session, publication) == first
    withdraw_redaction(session, assessment, cast.officer, redaction.id)
    assert SECRET not in repr(served(session, publication))
    [withdrawal] = withdrawals_for(session, publication.id)
    assert withdrawal.redaction_id is None and withdrawal.reason == "personal_data"


def test_the_withdrawal_is_dated_where_the_agency_is(session, bank, cast) -> None:
    # A zone whose date differs from UTC's now: a day ahead in the afternoon, behind in the morning.
    zone = "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Etc/GMT+12"
    cast.own.time_zone = zone
    session.commit()
    assessment = published(session, bank, cast)
    redact(session, bank, cast, assessment, "answer", "product_name")
    [publication] = publications(session, assessment)
    [withdrawal] = withdrawals_for(session, publication.id)
    assert withdrawal.withdrawn_on == date_in_zone(zone, withdrawal.withdrawn_at)
    assert withdrawal.withdrawn_on != withdrawal.withdrawn_at.astimezone(UTC).date()
    marker = served(session, publication)["answers"]["product_name"]
    assert marker == f"[withheld after publication on {withdrawal.withdrawn_on}: personal data]"


def test_redactions_are_asked_for_and_approved_after_publication_until_archived(
    session, bank, cast
) -> None:
    assessment = published(session, bank, cast)
    # A new draft after publication: still redactable, and the approval still withdraws.
    save_answers(
        session, bank, assessment, cast.officer, values={"threshold": 90},
        expected_version=assessment.lock_version,
    )  # fmt: skip
    assert assessment.status == "draft"
    redact(session, bank, cast, assessment, "answer", "product_name")
    assert len(session.scalars(select(PublicationWithdrawal)).all()) == 1
    # Archived, it is read-only: it is taken out of the archive to withdraw more.
    set_archived(session, assessment, cast.officer, archived=True)
    with pytest.raises(WrongStatus, match="archived"):
        request_redaction(
            session, bank, assessment, cast.officer, kind="note", target="mode",
            reason="personal_data",
        )  # fmt: skip
    set_archived(session, assessment, cast.officer, archived=False)
    redact(session, bank, cast, assessment, "note", "mode")
    assert len(session.scalars(select(PublicationWithdrawal)).all()) == 2

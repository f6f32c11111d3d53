"""Taking down what only an earlier publication shows, in the store on SQLite and PostgreSQL: an
answer changed since and an evidence file removed since are listed among the published items,
can be redacted (with a reviewer's approval as always), and come down from the publications
that show them and from no other; the answer the revision gives now stays published."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.report.public import published_value_sha256
from pia.store import (
    AuditEvent,
    create_assessment,
    get_revision,
    record_decision,
    save_answers,
    submit,
    take_up,
)
from pia.store.errors import InvalidInput
from pia.store.evidence import add_evidence, remove_evidence
from pia.store.public_listing import date_in_zone
from pia.store.public_models import Publication, PublicationWithdrawal, Redaction
from pia.store.publication import (
    allow_publication,
    public_report_data,
    publish_final,
    publish_for_comment,
)
from pia.store.redaction import (
    approve_redaction,
    redactions_for,
    request_redaction,
    withholding_for,
)
from pia.store.withdrawal import published_items, served_public_data, withdrawals_for

OLD = "FaceFind 2, ask Jane Roe on 555-0143"  # published by mistake in revision 1
NEW = "FaceFind 2"
FILE_BYTES = b"%PDF-1.4 vendor's confidential price list 8d21"
TODAY = date.today()


def decide_and_allow(session: Session, cast: Any, assessment: Any, number: int) -> None:
    take_up(session, assessment, cast.reviewer, revision=number)
    record_decision(
        session,
        assessment,
        cast.reviewer,
        revision=number,
        outcome="approved",
        rationale="Proportionate.",
        meeting_on=TODAY,
    )
    allow_publication(session, assessment, cast.reviewer, revision=number)


@pytest.fixture
def republished(session: Session, bank: Bank, cast: Any) -> tuple[Any, int, Publication, Any]:
    """Revision 1 published for comment with OLD and an evidence file; revision 2 (the answer
    changed to NEW, the file removed) published as the final version.
    -> (assessment, evidence id, the publication for comment, the final one)"""
    assessment = create_assessment(session, bank, cast.officer, title="Pilot", profiles=["wa"])
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"product_name": OLD, "mode": "search", "threshold": 80},
        notes={},
        expected_version=0,
    )
    evidence = add_evidence(
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
    decide_and_allow(session, cast, assessment, 1)
    opens = date_in_zone(cast.own.time_zone)
    publish_for_comment(
        session, bank, assessment, cast.officer, opens_on=opens, closes_on=opens + timedelta(3)
    )
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"product_name": NEW},
        notes={},
        expected_version=assessment.lock_version,
    )
    remove_evidence(session, assessment, cast.officer, evidence.id)
    submit(session, bank, assessment, cast.officer, assessment.lock_version)
    decide_and_allow(session, cast, assessment, 2)
    publish_final(session, bank, assessment, cast.officer, today=opens + timedelta(days=4))
    session.expire_all()
    first, final = session.scalars(
        select(Publication).where(Publication.assessment_id == assessment.id).order_by("id")
    ).all()
    assert (first.revision_number, final.revision_number) == (1, 2)
    return assessment, evidence.id, first, final


def served(session: Session, publication: Publication) -> dict[str, Any]:
    return dict(served_public_data(publication, withdrawals_for(session, publication.id), {}))


def test_the_published_items_name_each_text_and_file_with_the_publications_showing_it(
    session: Session, republished: Any
) -> None:
    assessment, evidence_id, first, final = republished
    items = {
        (item.kind, item.target, item.value_sha256): item.publications
        for item in published_items(session, assessment)
    }
    assert items[("answer", "product_name", published_value_sha256(OLD))] == (first.id,)
    assert items[("answer", "product_name", published_value_sha256(NEW))] == (final.id,)
    assert items[("answer", "mode", published_value_sha256("search"))] == (first.id, final.id)
    assert items[("evidence", str(evidence_id), "")] == (first.id,)


def test_an_answer_changed_since_comes_down_only_where_it_was_published(
    session: Session, bank: Bank, cast: Any, republished: Any
) -> None:
    assessment, _, first, final = republished
    old = published_value_sha256(OLD)
    redaction = request_redaction(
        session,
        bank,
        assessment,
        cast.officer,
        kind="answer",
        target="product_name",
        reason="personal_data",
        value_sha256=old,
    )
    assert redaction.value_sha256 == old and redaction.approved_at is None
    approve_redaction(session, assessment, cast.reviewer, redaction.id)

    withdrawals = list(session.scalars(select(PublicationWithdrawal)))
    assert [(w.publication_id, w.kind, w.question) for w in withdrawals] == [
        (first.id, "answer", "product_name")
    ]
    day = withdrawals[0].withdrawn_on.isoformat()
    taken_down = served(session, first)
    assert taken_down["answers"]["product_name"] == (
        f"[withheld after publication on {day}: personal data]"
    )
    assert OLD not in repr(taken_down)
    assert served(session, final)["answers"]["product_name"] == NEW  # as published
    [approved] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "redaction.approved")
    ).all()
    assert approved.detail["withdrawn_from_publications"] == [first.id]
    assert approved.detail["value_sha256"] == old

    # The next publication shows the answer revision 2 gives; it would withhold the old text
    # if a revision said it again.
    revision = get_revision(session, assessment, 2)
    data = public_report_data(
        session, bank, assessment, revision, stage="final", published_at="2026-12-01T00:00:00Z"
    )
    assert data["answers"]["product_name"] == NEW and data["withheld"] == []
    redactions = redactions_for(session, assessment)
    assert withholding_for(redactions, {"product_name": NEW}, {}).answers == {}
    assert withholding_for(redactions, {"product_name": OLD}, {}).answers == {
        "product_name": "personal data"
    }
    # The question's answer whatever it says is another redaction, beside this one.
    request_redaction(
        session, bank, assessment, cast.officer, kind="answer", target="product_name",
        reason="security",
    )  # fmt: skip
    assert len(redactions_for(session, assessment)) == 2


def test_an_evidence_file_removed_since_comes_down_from_the_publication_listing_it(
    session: Session, bank: Bank, cast: Any, republished: Any
) -> None:
    assessment, evidence_id, first, final = republished
    redaction = request_redaction(
        session,
        bank,
        assessment,
        cast.officer,
        kind="evidence",
        target=str(evidence_id),
        reason="commercial_confidence",
    )
    approve_redaction(session, assessment, cast.reviewer, redaction.id)
    [withdrawal] = session.scalars(select(PublicationWithdrawal)).all()
    assert (withdrawal.publication_id, withdrawal.evidence_number) == (first.id, 1)
    [entry] = served(session, first)["evidence"]
    assert entry["sha256"] == "" and "prices.pdf" not in entry["filename"]
    assert served(session, final) == final.public_data


@pytest.mark.parametrize(
    ("kind", "target", "value"),
    [
        ("answer", "product_name", published_value_sha256("never published")),
        ("answer", "mode", published_value_sha256(OLD)),  # another question's text
        ("answer", "product_name", "not a digest"),
        ("evidence", "1", published_value_sha256(OLD)),
    ],
)
def test_a_text_no_publication_shows_is_refused(
    session: Session, bank: Bank, cast: Any, republished: Any, kind: str, target: str, value: str
) -> None:
    assessment, *_ = republished
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(InvalidInput, match="as a publication of this assessment shows it") as bad:
        request_redaction(
            session, bank, assessment, cast.officer, kind=kind, target=target,
            reason="personal_data", value_sha256=value,
        )  # fmt: skip
    assert bad.value.field == "target"
    assert session.scalar(select(func.count()).select_from(Redaction)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before

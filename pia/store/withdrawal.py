"""Withdrawal from publications already made: a redaction approved after a publication takes its
item down from that publication.

The approval writes one PublicationWithdrawal per publication that still shows the item (with
the agency's date); nothing changes them afterwards. A publication is served as its stored public
data with its withdrawals applied by the same step that withholds content at publication
(pia.report.public.withhold_after_publication); the stored data and its fingerprint stay the
record of what was published. What a served publication depends on here (WithdrawalVersion) is
read from the database, so every `pia serve` process builds the same validators.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.report.public import (
    Withholding,
    published_value_sha256,
    shown_evidence,
    shown_value,
    withhold_after_publication,
)
from pia.store.models import Assessment, Evidence, User
from pia.store.public_listing import date_in_zone
from pia.store.public_models import (
    REDACT_ANSWER,
    REDACT_EVIDENCE,
    REDACT_NOTE,
    Publication,
    PublicationWithdrawal,
    Redaction,
)


@dataclass(frozen=True)
class WithdrawalVersion:
    """How many items were withdrawn from one publication, the newest withdrawal's id and time:
    withdrawals are only ever added, so the count and id change whenever the served data does."""

    count: int
    last_id: int
    last_at: datetime | None

    @classmethod
    def of(cls, withdrawals: list[PublicationWithdrawal]) -> WithdrawalVersion:
        """The version of a publication's withdrawals as read (withdrawals_for)."""
        if not withdrawals:
            return cls(0, 0, None)
        return cls(
            len(withdrawals),
            max(item.id for item in withdrawals),
            max(item.withdrawn_at for item in withdrawals),
        )

    @property
    def tag(self) -> str:
        """A short name of the served edition for validators and cache keys ("" as published)."""
        return f"w{self.count}.{self.last_id}" if self.count else ""


def _shown_in(
    data: Mapping[str, Any],
    kind: str,
    question: str,
    evidence: Evidence | None,
    value_sha256: str = "",
) -> list[int]:
    """Where the publication's data shows the item: [0] for an answer or note it shows (with
    `value_sha256`, only saying that text), the places in its evidence list for a file, [] when
    it does not show it."""
    if evidence is not None:
        return shown_evidence(data, evidence.question_id, evidence.filename, evidence.sha256)
    value = shown_value(data, kind, question)
    if value is None or (value_sha256 and published_value_sha256(value) != value_sha256):
        return []
    return [0]


def shows_published_value(
    session: Session, assessment: Assessment, kind: str, question: str, value_sha256: str
) -> bool:
    """Whether a publication of the assessment shows this text as the answer or note (`kind`)
    to `question`."""
    return any(
        _shown_in(data, kind, question, None, value_sha256)
        for data in session.scalars(
            select(Publication.public_data).where(Publication.assessment_id == assessment.id)
        )
    )


def _publications_and_withdrawn(
    session: Session, assessment: Assessment
) -> tuple[list[Publication], set[tuple[int, str, str, int]]]:
    """The assessment's publications, oldest first, and what was withdrawn from them, as
    (publication id, kind, question, evidence number)."""
    publications = list(
        session.scalars(
            select(Publication)
            .where(Publication.assessment_id == assessment.id)
            .order_by(Publication.id)
        )
    )
    withdrawn = {
        (row[0], row[1], row[2], row[3])
        for row in session.execute(
            select(
                PublicationWithdrawal.publication_id,
                PublicationWithdrawal.kind,
                PublicationWithdrawal.question,
                PublicationWithdrawal.evidence_number,
            ).where(PublicationWithdrawal.assessment_id == assessment.id)
        )
    }
    return publications, withdrawn


def withdraw_from_publications(
    session: Session, assessment: Assessment, redaction: Redaction, actor: User, at: datetime
) -> list[int]:
    """Take the item of `redaction`, approved by `actor` at `at`, down from every publication of
    the assessment that shows it; return those publications' ids (the caller commits)."""
    publications, done = _publications_and_withdrawn(session, assessment)
    if not publications:
        return []
    kind, question, evidence = redaction.target_kind, redaction.target_id, None
    if kind == REDACT_EVIDENCE:
        evidence = session.get(Evidence, int(question)) if question.isdigit() else None
        if evidence is None:
            return []
        question = evidence.question_id
    on = date_in_zone(assessment.agency.time_zone, at)
    touched = []
    for publication in publications:
        shown = _shown_in(publication.public_data, kind, question, evidence, redaction.value_sha256)
        for number in shown:
            if (publication.id, kind, question, number) in done:
                continue
            session.add(
                PublicationWithdrawal(
                    publication_id=publication.id,
                    assessment_id=assessment.id,
                    kind=kind,
                    question=question,
                    evidence_number=number,
                    reason=redaction.reason,
                    redaction_id=redaction.id,
                    withdrawn_by_id=actor.id,
                    withdrawn_at=at,
                    withdrawn_on=on,
                )
            )
            if publication.id not in touched:
                touched.append(publication.id)
    return touched


@dataclass(frozen=True)
class PublishedItem:
    """An answer, note or evidence file that publications of an assessment show (less what was
    withdrawn from them since): what a redaction can take down."""

    kind: str  # answer, note or evidence
    target: str  # what a redaction names: the question id, or the evidence id as text
    question: str
    filename: str  # an evidence file's name; "" for answers and notes
    publications: tuple[int, ...]  # the ids of the publications that show it, oldest first
    value_sha256: str = ""  # an answer's or note's text as shown (published_value_sha256)


def published_items(session: Session, assessment: Assessment) -> list[PublishedItem]:
    """Every item a publication of the assessment still shows, whichever revision it was: each
    text an answer or note was published with, and each evidence file (named by its evidence
    row: the rows stay when a file is removed)."""
    publications, withdrawn = _publications_and_withdrawn(session, assessment)
    if not publications:
        return []
    files = {
        (row.question_id, row.filename, row.sha256): str(row.id)
        for row in session.scalars(
            select(Evidence)
            .where(Evidence.assessment_id == assessment.id)
            .order_by(Evidence.id.desc())  # the first upload of the same file wins
        )
    }
    found: dict[tuple[str, str, str], tuple[str, str, list[int]]] = {}

    def add(key: tuple[str, str, str], question: str, filename: str, publication: int) -> None:
        ids = found.setdefault(key, (question, filename, []))[2]
        if publication not in ids:
            ids.append(publication)

    for publication in publications:
        data = publication.public_data
        for kind in (REDACT_ANSWER, REDACT_NOTE):
            for question in sorted(data.get(f"{kind}s") or {}):
                value = shown_value(data, kind, question)
                if value is None or (publication.id, kind, question, 0) in withdrawn:
                    continue
                add((kind, question, published_value_sha256(value)), question, "", publication.id)
        for number, entry in enumerate(data.get("evidence") or (), 1):
            target = files.get((entry["question"], entry["filename"], entry["sha256"]))
            if target is None or not entry.get("sha256"):
                continue
            if (publication.id, REDACT_EVIDENCE, entry["question"], number) in withdrawn:
                continue
            add((REDACT_EVIDENCE, target, ""), entry["question"], entry["filename"], publication.id)
    return [
        PublishedItem(kind, target, question, filename, tuple(ids), value_sha256)
        for (kind, target, value_sha256), (question, filename, ids) in found.items()
    ]


def withdrawals_for(session: Session, publication_id: int) -> list[PublicationWithdrawal]:
    return list(
        session.scalars(
            select(PublicationWithdrawal)
            .where(PublicationWithdrawal.publication_id == publication_id)
            .order_by(PublicationWithdrawal.id)
        )
    )


def withdrawn_evidence(
    session: Session, publication_id: int, number: int
) -> PublicationWithdrawal | None:
    """The withdrawal of the publication's `number`-th evidence file, if it was withdrawn."""
    return session.scalars(
        select(PublicationWithdrawal).where(
            PublicationWithdrawal.publication_id == publication_id,
            PublicationWithdrawal.kind == REDACT_EVIDENCE,
            PublicationWithdrawal.evidence_number == number,
        )
    ).first()


def served_public_data(
    publication: Publication,
    withdrawals: list[PublicationWithdrawal],
    mirrored: Mapping[str, str],
) -> Mapping[str, Any]:
    """The public data as the public site serves it: the stored data, with `withdrawals` (the
    publication's) withheld, one Withholding per date they were made, an answer with the detail
    it mirrors on the cover (`mirrored`: the bank's Bank.mirrored_details()), and a cover that
    still shows a detail whose answer was withheld made to read that answer's marker."""
    by_date: dict[str, dict[str, dict[Any, str]]] = {}
    for item in withdrawals:
        day = by_date.setdefault(
            item.withdrawn_on.isoformat(),
            {REDACT_ANSWER: {}, REDACT_NOTE: {}, REDACT_EVIDENCE: {}},
        )
        key = item.evidence_number if item.kind == REDACT_EVIDENCE else item.question
        day[item.kind][key] = item.reason_label
    withholdings = [
        Withholding(
            answers=day[REDACT_ANSWER],
            notes=day[REDACT_NOTE],
            entries=day[REDACT_EVIDENCE],
            withdrawn_on=on,
        )
        for on, day in sorted(by_date.items())
    ]
    return withhold_after_publication(
        publication.public_data, withholdings, publication.fingerprint, mirrored
    )


def withdrawn_by_redaction(session: Session, assessment: Assessment) -> dict[int, list[int]]:
    """Per redaction of the assessment, the publications it withdrew its item from."""
    rows = session.execute(
        select(PublicationWithdrawal.redaction_id, PublicationWithdrawal.publication_id)
        .where(
            PublicationWithdrawal.assessment_id == assessment.id,
            PublicationWithdrawal.redaction_id.is_not(None),
        )
        .distinct()
        .order_by(PublicationWithdrawal.redaction_id, PublicationWithdrawal.publication_id)
    )
    found: dict[int, list[int]] = {}
    for redaction_id, publication_id in rows:
        found.setdefault(int(redaction_id), []).append(int(publication_id))
    return found

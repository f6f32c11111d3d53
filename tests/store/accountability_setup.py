"""Helpers for the meetings and calendar store tests: a bank whose profile asks for meetings and
sets calendar dates, an assessment taken through the board's decision, and publications."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pia.engine import Bank, load_bank
from pia.store import (
    Assessment,
    ConditionInput,
    User,
    create_assessment,
    record_decision,
    save_answers,
    submit,
    take_up,
)
from pia.store.public_models import STAGE_COMMENT, STAGE_FINAL, Publication

PROFILE_EXTRA = """
  community_meetings:
    required: 3
    cite: "RCW 43.386.020(3)"
    text: At least three community consultation meetings.
  calendar:
    - id: annual_report
      title: Annual report
      cite: "RCW 43.386 annual"
      text: Every twelve months after the decision.
      after: decision
      months: 12
      every_months: 12
    - id: earliest_use
      title: Earliest operational use
      cite: "RCW 43.386.020(4)"
      text: Ninety days after the final report.
      after: final_publication
      days: 90
    - id: final_report_due
      title: Post the final report
      cite: "Local rule 7"
      text: Thirty days after the comment period.
      after: comment_period_end
      days: 30
"""


def accountability_bank(source: Path, folder: Path) -> Bank:
    """A copy of the bank in `source` whose profile `wa` declares meetings and dates."""
    shutil.copytree(source, folder, dirs_exist_ok=True)
    profile = folder / "profiles" / "wa.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + PROFILE_EXTRA.lstrip("\n"))
    return load_bank(folder)


def decided_assessment(
    session: Session,
    bank: Bank,
    officer: User,
    reviewer: User,
    *,
    meeting_on: date,
    outcome: str = "approved_with_conditions",
    condition_due: date | None = None,
    review_due_on: date | None = None,
    title: str = "Face search pilot",
) -> Assessment:
    assessment = create_assessment(session, bank, officer, title=title, profiles=["wa"])
    save_answers(
        session,
        bank,
        assessment,
        officer,
        values={"product_name": "FaceFind", "mode": "search", "threshold": 99.5},
        expected_version=assessment.lock_version,
    )
    submit(session, bank, assessment, officer, assessment.lock_version)
    take_up(session, assessment, reviewer, revision=1)
    conditions = []
    if outcome == "approved_with_conditions":
        due = condition_due or date.today() + timedelta(days=60)
        conditions = [ConditionInput("Publish the audit log.", "Records unit", due)]
    fields: dict[str, Any] = {}
    if review_due_on is not None:
        fields["review_due_on"] = review_due_on
    record_decision(
        session,
        assessment,
        reviewer,
        revision=1,
        outcome=outcome,
        rationale="Proportionate.",
        meeting_on=meeting_on,
        conditions=conditions,
        **fields,
    )
    return assessment


def publish(
    session: Session,
    assessment: Assessment,
    *,
    stage: str,
    published_on: date,
    closes_on: date | None = None,
) -> Publication:
    """A publication row as the publication feature writes it (only what dates need is real)."""
    publication = Publication(
        assessment_id=assessment.id,
        agency_id=assessment.agency_id,
        revision_number=1,
        stage=stage,
        comment_opens_on=published_on if stage == STAGE_COMMENT else None,
        comment_closes_on=closes_on,
        public_data={"stage": stage},
        fingerprint="0" * 64,
        published_at=datetime(
            published_on.year, published_on.month, published_on.day, 9, tzinfo=UTC
        ),
    )
    session.add(publication)
    session.commit()
    return publication


__all__ = ["STAGE_COMMENT", "STAGE_FINAL", "accountability_bank", "decided_assessment", "publish"]

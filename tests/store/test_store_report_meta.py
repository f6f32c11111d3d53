"""The report cover's data read from the store: the officer as author, the agency's time zone,
the revision's submission time as its date (and so the PDF's creation date)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from pia.engine import evaluate
from pia.report import render_assessment_pdf
from pia.store import create_assessment, save_answers, set_agency_time_zone, submit
from pia.store.report_meta import revision_meta, working_copy_meta

ANSWERS = {"product_name": "FaceFind", "mode": "search", "threshold": 80}


def test_working_copy_and_revision_covers(session, bank, cast) -> None:
    set_agency_time_zone(session, cast.own, "Europe/Berlin")
    assessment = create_assessment(session, bank, cast.officer, title="Pilot", profiles=["wa"])
    save_answers(session, bank, assessment, cast.officer, values=ANSWERS, expected_version=0)
    draft = working_copy_meta(session, assessment)
    assert draft.author == cast.officer.name and draft.author
    assert draft.time_zone == "Europe/Berlin"
    assert datetime.fromisoformat(draft.date).utcoffset() is not None  # names its offset
    assert draft.status == "draft" and draft.revision is None

    revision = submit(session, bank, assessment, cast.officer, assessment.lock_version)
    meta = revision_meta(assessment, revision)
    assert (meta.author, meta.status, meta.revision) == (cast.officer.name, "submitted", 1)
    submitted = revision.submitted_at.replace(tzinfo=revision.submitted_at.tzinfo or UTC)
    assert datetime.fromisoformat(meta.date) == submitted.replace(microsecond=0)

    pdf = render_assessment_pdf(bank, evaluate(bank, ANSWERS, ["wa"]), ANSWERS, {}, meta)
    stamp = submitted.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
    assert PdfReader(io.BytesIO(pdf)).metadata["/CreationDate"] == stamp
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert cast.officer.name in cover
    assert " CET" in cover or " CEST" in cover


def test_pages_read_the_time_zone_with_the_user_and_assessment(session, bank, cast) -> None:
    from sqlalchemy import inspect

    from pia.store.lookup import load_user, load_user_and_assessment

    assessment = create_assessment(session, bank, cast.officer, title="Pilot")
    session.expunge_all()
    loaded = load_user_and_assessment(session, cast.officer.id, assessment.id)
    assert "time_zone" not in inspect(loaded.user.agency).unloaded
    assert "time_zone" not in inspect(loaded.assessment.agency).unloaded
    session.expunge_all()
    assert "time_zone" not in inspect(load_user(session, cast.officer.id).agency).unloaded

"""Helpers shared by the wizard's HTTP tests: reading the stored assessment and posting sections."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from pia.store.models import Assessment

# The wizard_bank's sections and their questions.
SYSTEM = ("vendor_name", "start_date", "description")
USE = ("modes", "live_places", "warrant", "threshold", "fmr", "gallery")


def section_url(assessment_id: int, section: str) -> str:
    return f"/assessments/{assessment_id}/sections/{section}"


def stored(db: Session, assessment_id: int) -> Assessment:
    """The assessment as the database holds it now (not the session's cached copy)."""
    db.expire_all()
    assessment = db.get(Assessment, assessment_id)
    assert assessment is not None
    return assessment


def form_data(
    values: Mapping[str, Any], *, lock_version: int, asked: Iterable[str] | None = None
) -> dict[str, Any]:
    """What the section page sends: the lock version, the asked questions and their inputs."""
    names = list(values)
    owners = [name.split(".")[0].removesuffix("-note") for name in names]
    asked_ids = list(asked) if asked is not None else list(dict.fromkeys(owners))
    return {"lock_version": str(lock_version), "asked": asked_ids, **values}


def post_section(
    auth: Any,
    db: Session,
    assessment_id: int,
    section: str,
    values: Mapping[str, Any],
    *,
    asked: Iterable[str] | None = None,
    lock_version: int | None = None,
    suffix: str = "",
    **extra: Any,
) -> TestResponse:
    if lock_version is None:
        lock_version = stored(db, assessment_id).lock_version
    data = form_data(values, lock_version=lock_version, asked=asked)
    data.update(extra)
    return auth.post(section_url(assessment_id, section) + suffix, data)


def autosave(
    client: FlaskClient,
    token: str,
    assessment_id: int,
    section: str,
    data: Mapping[str, Any],
    **kwargs: Any,
) -> TestResponse:
    return client.post(
        section_url(assessment_id, section) + "/autosave",
        data=data,
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        **kwargs,
    )


def container(html: str, question_id: str) -> str:
    """The opening tag of a question's container on the page."""
    match = re.search(rf'<div class="question[^"]*" id="q-{question_id}"[^>]*>', html)
    assert match, f"question {question_id} is not on the page"
    return match.group(0)


def is_hidden(html: str, question_id: str) -> bool:
    return " hidden" in container(html, question_id)

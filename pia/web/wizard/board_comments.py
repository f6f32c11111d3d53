"""The board's open comment threads, shown to the officer beside the questions they are about
(on the section pages and the completeness page), saying whether the answer has changed since the
revision the comment was made on. Nothing is read for an assessment never submitted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from pia.report.review_record import ThreadView
from pia.store.models import Assessment, Revision
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session


@dataclass(frozen=True)
class OpenThread:
    thread: ThreadView
    question_id: str  # "" for comments not on a question
    question_text: str
    section_id: str
    answer_changed: bool | None  # None when not about a question


def open_threads(assessment: Assessment, answers: Mapping[str, Any]) -> list[OpenThread]:
    """Open threads, with whether each question's draft answer differs from the revision's."""
    from pia.store import threads_for

    if not assessment.revision_count:
        return []
    threads = [t for t in threads_for(get_session(), assessment) if t.open]
    if not threads:
        return []
    numbers = {t.revision for t in threads if t.kind == "question"}
    query = select(Revision.number, Revision.answers).where(
        Revision.assessment_id == assessment.id, Revision.number.in_(numbers)
    )
    then = {number: stored or {} for number, stored in get_session().execute(query)}
    bank = get_bank()
    result = []
    for thread in threads:
        question = bank.questions.get(thread.target) if thread.kind == "question" else None
        changed = None
        if question is not None and thread.revision in then:
            changed = then[thread.revision].get(question.id) != answers.get(question.id)
        result.append(
            OpenThread(
                thread,
                question.id if question else "",
                question.text if question else "",
                question.section if question else "",
                changed,
            )
        )
    return result

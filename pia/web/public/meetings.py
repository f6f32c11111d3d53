"""The community meetings held about an assessment, on its publication page while it is out for
comment (the final version's report lists them in its section "Public comment and response").
What the part depends on is in the page's validator (publication_head: the newest meeting event).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pia.store.meetings import meetings_summary
from pia.store.models import Assessment
from pia.store.public_listing import PageVersion, PublicListing
from pia.store.public_models import STAGE_COMMENT, Publication
from pia.web.public.views import PAGE_CONTEXT
from pia.web.shared.config import get_bank


def publication_page_meetings(
    session: Session, publication: Publication, _head: PublicListing, _version: PageVersion
) -> dict[str, Any]:
    """The page's part: the meetings held so far, earliest first, with the requirement."""
    if publication.stage != STAGE_COMMENT:
        return {"community_meetings": None}
    assessment = session.get(Assessment, publication.assessment_id)
    if assessment is None:
        return {"community_meetings": None}
    summary = meetings_summary(session, assessment, get_bank())
    return {"community_meetings": summary if summary.count else None}


PAGE_CONTEXT.append(publication_page_meetings)

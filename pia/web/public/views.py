"""The public site, no sign-in: published assessments and their public reports.

- GET /public/                                   published assessments by agency and status
- GET /public/publications/<id>                  one publication: report, use policy, comments
- GET /public/publications/<id>/report.pdf       the public report as a signed PDF
- GET /public/publications/<id>/report.json      the public data as JSON
- GET /public/publications/<id>/evidence/<n>     an evidence file the publication lists
- GET /public/assessments/<id>                   the assessment's latest publication
- GET /public/feed.atom                          an Atom feed of publications
- GET /public/index.json                         the open-data index of publications

Everything here renders the frozen public data of a publication (pia.report.public) and nothing
else of the assessment: withheld content is not in it. Items withdrawn after publication
(pia.store.withdrawal) are taken out of it as it is served. Validators and caches: caching.py.
The publication's files (PDF, JSON, evidence): files.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.report.answers import display_answer, is_answered
from pia.report.levels import level_tones
from pia.report.public import (
    AMENDMENT,
    SERVED_EDITION_RULES,
    build_public_report,
    public_fingerprint,
)
from pia.store.public_listing import (
    PageVersion,
    PublicListing,
    date_in_zone,
    latest_publication_id,
    listing_version,
    public_listing,
    publication_head,
)
from pia.store.public_models import STAGE_COMMENT, STAGE_FINAL, Publication, PublicationWithdrawal
from pia.store.publication import get_publication
from pia.store.withdrawal import served_public_data, withdrawals_for
from pia.web.public import caching
from pia.web.public.feeds import atom_feed, open_data_index
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session
from pia.web.shared.report_blocks import bar_percent, block_kind

bp = Blueprint("public", __name__, url_prefix="/public", template_folder="templates")

STAGE_FILTERS = {"open": "Open for comment", "comment": "Published for comment", "final": "Final"}
# Functions (session, publication, head, version) -> mapping, adding to the publication page's
# template context (the public comments and the agency's responses add theirs here). `head` and
# `version` are what the page's validator read (publication_head): a part takes what it can from
# them rather than asking the database again.
PAGE_CONTEXT: list[
    Callable[[Session, Publication, PublicListing, PageVersion], Mapping[str, Any]]
] = []


def _publication_or_404(publication_id: int) -> Publication:
    publication = get_publication(get_session(), publication_id)
    if publication is None:
        abort(404)
    return publication


def served_data(
    publication: Publication, withdrawals: list[PublicationWithdrawal] | None = None
) -> tuple[Mapping[str, Any], str]:
    """The publication's public data as served, without the items withdrawn since it was
    published (`withdrawals`, read here unless given), and that data's public fingerprint."""
    if withdrawals is None:
        withdrawals = withdrawals_for(get_session(), publication.id)
    data = served_public_data(publication, withdrawals, get_bank().mirrored_details())
    if data is publication.public_data:
        return data, publication.fingerprint
    return data, public_fingerprint(data)


def _day_start(moment: datetime) -> datetime:
    today = caching.today_utc()
    midnight = datetime.combine(today, time.min, tzinfo=UTC)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return max(moment, midnight)


def _page_validators(head: PublicListing, version: PageVersion) -> tuple[str, datetime]:
    """ETag and Last-Modified of a publication's page, from the one statement that read `head`
    and `version`: its fingerprint, comment period and the agency's date (the period opens and
    closes with it), the assessment's newest publication (the page points to it), and the
    approved comments, responses (and their corrections) and community meetings the page shows,
    and the items withdrawn from the publication since (its report is served without them), and
    the rules and the question bank by which the report is served from its stored data (a new
    bank version may word and withhold it otherwise)."""
    bank = get_bank()
    etag = caching.make_etag(
        "page",
        SERVED_EDITION_RULES,
        bank.id,
        bank.version,
        head.fingerprint,
        head.stage,
        head.comment_opens_on,
        head.comment_closes_on,
        head.agency_today(),
        version.newest,
        version.approved,
        version.last_approved_id,
        version.answered,
        version.last_response_id,
        version.last_meeting_event,
        version.last_correction_event,
        version.withdrawn,
        version.last_withdrawal_id,
    )
    return etag, _day_start(head.published_at)


def _cached_page(page: tuple[Any, ...], etag: str, render: Callable[[], str]) -> Response:
    """The page (named by what it is built from: not by the raw URL, whose unread query arguments
    would only push other pages out of the cache) for this ETag, rendered once: the ETag names every
    database value the page was built from, so the stored copy is the page as rendered now."""
    key = (*page, etag)
    html = caching.PAGES.get(key)
    if html is None:
        html = render()
        caching.PAGES.put(key, html)
    return Response(html, content_type="text/html; charset=utf-8")


def _listing_validators(kind: str) -> tuple[str, datetime | None]:
    version = listing_version(get_session())
    etag = caching.make_etag(
        kind, version.count, version.last_id, version.last_published_at, caching.quarter_hour()
    )
    last = version.last_published_at
    return etag, _day_start(last) if last is not None else None


def _stage_label(item: PublicListing | Publication, today: date) -> str:
    if item.stage == STAGE_FINAL:
        return "Final"
    opens, closes = item.comment_opens_on, item.comment_closes_on
    if opens and closes and opens <= today <= closes:
        return "Open for comment"
    if opens and today < opens:
        return f"Comment period opens {opens.isoformat()}"
    return "Comment period closed"


def _matches(item: PublicListing, stage: str, agency: str, today: date) -> bool:
    if agency and str(item.agency_id) != agency:
        return False
    if stage == "open":
        return item.open_for_comment(today)
    if stage in (STAGE_COMMENT, STAGE_FINAL):
        return item.stage == stage
    return True


@bp.get("/")
def index() -> Response:
    stage = request.args.get("status", "")
    agency = request.args.get("agency", "")
    if (stage and stage not in STAGE_FILTERS) or (agency and not agency.isdigit()):
        abort(400, description="Choose a status and an agency from the lists.")
    etag, last_modified = _listing_validators("list")
    cached = caching.not_modified(etag, last_modified)
    if cached is not None:
        return cached
    response = _cached_page(("list", stage, agency), etag, lambda: _render_list(stage, agency))
    return caching.cacheable(response, etag, last_modified)


def _render_list(stage: str, agency: str) -> str:
    listing = public_listing(get_session())
    # Each agency's periods by its own date, as its comment form decides them.
    dates = {zone: date_in_zone(zone) for zone in {item.time_zone for item in listing}}
    agencies = sorted({(item.agency_id, item.agency) for item in listing}, key=lambda a: a[1])
    # Rows as tuples the template unpacks: attribute look-ups dominate a 1,000-row page.
    by_agency: dict[str, list[tuple[int, str, str, str, str]]] = {}
    for item in listing:
        today = dates[item.time_zone]
        if _matches(item, stage, agency, today):
            by_agency.setdefault(item.agency, []).append(
                (
                    item.publication_id,
                    item.title,
                    _stage_label(item, today),
                    item.overall_level,
                    item.published_at.date().isoformat(),
                )
            )
    # One URL built per page, not two per row: url_for is the slowest part of a long list.
    prefix = url_for("public.publication_page", publication_id=1)[: -len("1")]
    return render_template(
        "public/list.html",
        by_agency=by_agency,
        count=sum(len(items) for items in by_agency.values()),
        agencies=agencies,
        stage_filters=STAGE_FILTERS,
        chosen_stage=stage,
        chosen_agency=agency,
        prefix=prefix,
    )


def _report_fragment(bank: Bank, data: Mapping[str, Any], fingerprint: str) -> str:
    """The public report's HTML, rendered once per fingerprint of the data served (immutable
    content: withdrawals after publication give the served data another fingerprint)."""
    cached = caching.REPORT_FRAGMENTS.get(fingerprint)
    if cached is not None:
        return cached
    document = build_public_report(bank, data)
    tones = level_tones(bank)
    html = render_template(
        "public/_report.html",
        document=document,
        block_kind=block_kind,
        tone=lambda level: tones.get(level or "", "tone-none"),
        bar_percent=bar_percent,
    )
    caching.REPORT_FRAGMENTS.put(fingerprint, html)
    return html


def use_policy(bank: Bank, public_data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The chosen profiles' statutory elements (the use policy's required contents among them)
    with the public answers to the questions that cover each."""
    answers = public_data.get("answers") or {}
    profiles = []
    for profile_id in public_data.get("profiles") or ():
        profile = bank.profiles.get(profile_id)
        if profile is None:
            continue
        elements = []
        for element in profile.elements:
            rows = []
            for qid in element.questions:
                question = bank.questions.get(qid)
                if question is None or not is_answered(answers.get(qid)):
                    continue
                rows.append((question.text, display_answer(question, answers[qid])))
            elements.append({"cite": element.cite, "text": element.text, "answers": rows})
        profiles.append({"name": profile.name, "elements": elements})
    return profiles


@bp.get("/publications/<int:publication_id>")
def publication_page(publication_id: int) -> Response:
    found = publication_head(get_session(), publication_id)
    if found is None:
        abort(404)
    head, version = found
    etag, last_modified = _page_validators(head, version)
    cached = caching.not_modified(etag, last_modified)
    if cached is not None:
        return cached
    response = _cached_page(
        ("publication", publication_id), etag, lambda: _render_publication(head, version)
    )
    return caching.cacheable(response, etag, last_modified)


def _render_publication(head: PublicListing, version: PageVersion) -> str:
    publication = _publication_or_404(head.publication_id)
    bank = get_bank()
    if publication.public_data.get("bank", {}).get("id") != bank.id:
        abort(409, description="This publication was made with another question bank.")
    today = head.agency_today()
    extra: dict[str, Any] = {}
    for part in PAGE_CONTEXT:
        extra.update(part(get_session(), publication, head, version))
    # As the validator read it: nothing withdrawn needs no second look.
    data, fingerprint = served_data(publication, None if version.withdrawn else [])
    return render_template(
        "public/publication.html",
        publication=publication,
        data=data,
        fingerprint=fingerprint,
        amendment=data.get(AMENDMENT),
        report_html=_report_fragment(bank, data, fingerprint),
        use_policy=use_policy(bank, data),
        stage_label=(
            "Superseded: comments closed"
            if version.newest != publication.id and publication.stage != STAGE_FINAL
            else _stage_label(publication, today)
        ),
        newest=version.newest,
        **extra,
    )


@bp.get("/assessments/<int:assessment_id>")
def assessment_latest(assessment_id: int) -> Response:
    publication_id = latest_publication_id(get_session(), assessment_id)
    if publication_id is None:
        abort(404)
    return redirect(url_for("public.publication_page", publication_id=publication_id), 302)


@bp.get("/feed.atom")
def feed() -> Response:
    etag, last_modified = _listing_validators("feed")
    cached = caching.not_modified(etag, last_modified)
    if cached is not None:
        return cached
    body = atom_feed(get_session(), request.url_root.rstrip("/"))
    response = Response(body, content_type="application/atom+xml; charset=utf-8")
    return caching.cacheable(response, etag, last_modified)


@bp.get("/index.json")
def open_data() -> Response:
    etag, last_modified = _listing_validators("index")
    cached = caching.not_modified(etag, last_modified)
    if cached is not None:
        return cached
    data = open_data_index(get_session(), request.url_root.rstrip("/"))
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    response = Response(body, content_type="application/json")
    return caching.cacheable(response, etag, last_modified)

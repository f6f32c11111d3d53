"""A publication's files, on the public blueprint: the report as a signed PDF, the public data
as JSON, and the evidence files it lists.

Each is served from the publication's public data with the items withdrawn since it was
published taken out (pia.store.withdrawal): an amended edition with its own fingerprint that names
the fingerprint as published. An evidence file withdrawn after publication answers 410 Gone,
saying when and why. As published, a file's content never changes, so If-Modified-Since may
answer 304; once amended, only its ETag (which names the withdrawals, and a cover served with a
detail withheld that the stored data still shows: _edition_tag) revalidates it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, abort
from sqlalchemy import select

from pia.report.public import cover_shows_withheld, render_public_json, render_public_pdf
from pia.report.signing import sign_pdf
from pia.store.evidence import EVIDENCE_ORDER
from pia.store.models import Evidence
from pia.store.public_models import Publication, PublicationWithdrawal
from pia.store.publication import get_publication
from pia.store.withdrawal import WithdrawalVersion, withdrawals_for, withdrawn_evidence
from pia.web.public import caching
from pia.web.public.views import bp, served_data
from pia.web.shared.config import get_bank, get_signing_key
from pia.web.shared.db import get_session
from pia.web.shared.downloads import attachment_response


def _publication_or_404(
    publication_id: int,
) -> tuple[Publication, list[PublicationWithdrawal], WithdrawalVersion, str]:
    """The publication, its withdrawals and the served edition's tag, read once: the validators
    and the served data come from the same rows."""
    publication = get_publication(get_session(), publication_id)
    if publication is None:
        abort(404)
    withdrawals = withdrawals_for(get_session(), publication_id)
    version = WithdrawalVersion.of(withdrawals)
    return publication, withdrawals, version, _edition_tag(publication, version)


def _edition_tag(publication: Publication, version: WithdrawalVersion) -> str:
    """What names the served edition beside the stored fingerprint ("" as published): the
    withdrawals, and whether the stored cover still shows a detail whose mirroring answer is
    withheld (served with the detail withheld: an edition that differs from the one published
    as stored, and from what was served of it before the cover followed its answers)."""
    mirrored = get_bank().mirrored_details()
    cover = ".cover" if cover_shows_withheld(publication.public_data, mirrored) else ""
    return f"{version.tag}{cover}"


def _validators(
    kind: str, publication: Publication, version: WithdrawalVersion, tag: str, *more: Any
) -> tuple[str, datetime]:
    """The file's ETag (its content as published, the served edition's `tag` and the bank that
    serves it) and Last-Modified (its publication, or the newest withdrawal)."""
    amended = (tag,) if tag else ()
    bank = get_bank()  # a new bank version may render and withhold the stored data otherwise
    etag = caching.make_etag(kind, bank.id, bank.version, publication.fingerprint, *amended, *more)
    return etag, version.last_at or publication.published_at


def _file_stem(publication: Publication) -> str:
    return f"assessment-{publication.assessment_id}-public-{publication.id}"


@bp.get("/publications/<int:publication_id>/report.pdf")
def publication_pdf(publication_id: int) -> Response:
    publication, withdrawals, version, tag = _publication_or_404(publication_id)
    key = get_signing_key()
    etag, last_modified = _validators("pdf", publication, version, tag, key.fingerprint)
    cached = caching.not_modified(etag, last_modified, immutable=not tag)
    if cached is not None:
        return cached
    edition = f"{publication.fingerprint}{tag}"
    signed = caching.SIGNED_PDFS.get((edition, key.fingerprint))
    if signed is None:
        data, _fingerprint = served_data(publication, withdrawals)
        signed = sign_pdf(render_public_pdf(get_bank(), data), key)
        caching.SIGNED_PDFS.put((edition, key.fingerprint), signed)
    response = Response(signed, content_type="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_file_stem(publication)}-report.pdf"'
    )
    return caching.cacheable(response, etag, last_modified)


@bp.get("/publications/<int:publication_id>/report.json")
def publication_json(publication_id: int) -> Response:
    publication, withdrawals, version, tag = _publication_or_404(publication_id)
    etag, last_modified = _validators("json", publication, version, tag)
    cached = caching.not_modified(etag, last_modified, immutable=not tag)
    if cached is not None:
        return cached
    data, _fingerprint = served_data(publication, withdrawals)
    response = Response(render_public_json(data), content_type="application/json")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{_file_stem(publication)}-report.json"'
    )
    return caching.cacheable(response, etag, last_modified)


@bp.get("/publications/<int:publication_id>/evidence/<int:number>")
def publication_evidence(publication_id: int, number: int) -> Response:
    """An evidence file the publication lists by name (withheld ones list no digest, so they
    match no file and are never served; one withdrawn after publication is gone: 410)."""
    publication = get_publication(get_session(), publication_id)
    if publication is None:
        abort(404)
    listed = publication.public_data.get("evidence") or []
    if not 1 <= number <= len(listed):
        abort(404)
    entry = listed[number - 1]
    if not entry.get("sha256"):
        abort(404, description="This file is withheld from the public.")
    withdrawn = withdrawn_evidence(get_session(), publication_id, number)
    if withdrawn is not None:
        abort(
            410,
            description=(
                "This file was withdrawn from the public after publication, on "
                f"{withdrawn.withdrawn_on.isoformat()} (reason: {withdrawn.reason_label}). "
                "The publication's page lists the files that remain public."
            ),
        )
    # The file's bytes never change: served, it is as published (a withdrawal answers above).
    etag = caching.make_etag("evidence", publication.fingerprint, number)
    cached = caching.not_modified(etag, publication.published_at, immutable=True)
    if cached is not None:
        return cached
    evidence = (
        get_session()
        .scalars(
            select(Evidence)
            .where(
                Evidence.assessment_id == publication.assessment_id,
                Evidence.question_id == entry["question"],
                Evidence.sha256 == entry["sha256"],
                Evidence.filename == entry["filename"],
            )
            .order_by(*EVIDENCE_ORDER)
        )
        .first()
    )
    if evidence is None:
        abort(404)
    # The shared download headers (a filename in any script, sandboxed), then public caching.
    response = attachment_response(
        evidence.data, evidence.content_type, evidence.filename, evidence.sha256
    )
    return caching.cacheable(response, etag, publication.published_at)

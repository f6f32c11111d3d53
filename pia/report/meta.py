"""What a report says about the assessment itself: cover metadata and evidence references."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pia.report.times import as_moment

# Statuses that mean the assessment has left the officer's hands; anything else prints DRAFT.
FINAL_STATUSES = frozenset({"submitted", "approved", "published"})

REDACTED = "[redacted]"


@dataclass(frozen=True)
class ReportMeta:
    """Assessment metadata shown on the cover. `date` is the revision's own date, never "now"."""

    title: str
    agency: str = ""
    technology: str = ""
    vendor: str = ""
    product: str = ""
    product_version: str = ""
    status: str = "draft"
    revision: int | None = None
    date: str = ""  # ISO 8601, UTC unless it names its offset
    author: str = ""
    time_zone: str = ""  # the agency's IANA time zone, in which times are shown; "" for UTC
    # The question-bank version the answers were saved or submitted under, when known; a report
    # rendered against another version says so (see pia.report.document).
    answered_under: str = ""

    @property
    def is_draft(self) -> bool:
        return self.status.strip().lower() not in FINAL_STATUSES


@dataclass(frozen=True)
class EvidenceRef:
    """A file attached to an answer as evidence: only its name and digest go into the report."""

    question: str
    filename: str
    sha256: str
    size: int


def coerce_meta(meta: ReportMeta | Mapping[str, Any] | None) -> ReportMeta:
    """A ReportMeta, or the `assessment:` mapping of an answers file (unknown keys ignored)."""
    if isinstance(meta, ReportMeta):
        return meta
    data = dict(meta or {})
    fields: dict[str, Any] = {}
    for spec in dataclasses.fields(ReportMeta):
        if spec.name not in data or data[spec.name] is None:
            continue
        value = data[spec.name]
        if spec.name == "revision":
            fields[spec.name] = _as_revision(value)
        else:
            fields[spec.name] = str(value)
    fields.setdefault("title", "Untitled assessment")
    if not fields["title"].strip():
        fields["title"] = "Untitled assessment"
    return ReportMeta(**fields)


def _as_revision(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def coerce_evidence(evidence: Any) -> tuple[EvidenceRef, ...]:
    """EvidenceRef values, or mappings with the same keys (as read back from an embedded file)."""
    refs = []
    for item in evidence or ():
        if isinstance(item, EvidenceRef):
            refs.append(item)
        else:
            refs.append(
                EvidenceRef(
                    question=str(item["question"]),
                    filename=str(item["filename"]),
                    sha256=str(item["sha256"]),
                    size=int(item["size"]),
                )
            )
    return tuple(refs)


def evidence_files(refs: tuple[EvidenceRef, ...]) -> list[tuple[str, str]]:
    """What the fingerprint covers of the evidence: each file's name and SHA-256."""
    return [(ref.filename, ref.sha256) for ref in refs]


def meta_to_dict(meta: ReportMeta) -> dict[str, Any]:
    return dataclasses.asdict(meta)


def meta_time(meta: ReportMeta) -> datetime.datetime | None:
    """The revision's own date as a time (UTC when it names no zone), for file metadata; None
    when the date is missing or not ISO 8601."""
    return as_moment(meta.date)

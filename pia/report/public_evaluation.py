"""An Evaluation read back from its documented JSON form (pia.engine's evaluation_to_dict).

A public edition renders from its frozen public data, which carries the published evaluation
rather than the answers behind it (some are withheld), so the report is built from this.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pia.engine.bank.model import Citation
from pia.engine.evaluation.result import (
    AnswerIssue,
    AppliedMitigation,
    CriterionResult,
    ElementCoverage,
    Evaluation,
    Finding,
    ObligationHit,
    Overall,
    ProfileCoverage,
    Progress,
    ProhibitionHit,
    Rating,
    SectionProgress,
    Trigger,
)


def _finding(data: Mapping[str, Any]) -> Finding:
    return Finding(
        rule=data["rule"],
        title=data["title"],
        criterion=data["criterion"],
        explanation=data["explanation"],
        justification=data["justification"],
        inherent=Rating(**data["inherent"]),
        residual=Rating(**data["residual"]),
        mitigations=tuple(AppliedMitigation(**item) for item in data["mitigations"]),
        triggers=tuple(Trigger(**item) for item in data["triggers"]),
        actions=tuple(data["actions"]),
        citations=tuple(Citation(**item) for item in data["citations"]),
    )


def _coverage(data: Mapping[str, Any]) -> ProfileCoverage:
    elements = tuple(
        ElementCoverage(
            **{
                **item,
                "questions": tuple(item["questions"]),
                "answered": tuple(item["answered"]),
                "core": tuple(item.get("core", ())),
            }
        )
        for item in data["elements"]
    )
    return ProfileCoverage(
        profile=data["profile"],
        name=data["name"],
        elements=elements,
        answered=data["answered"],
        total=data["total"],
    )


def evaluation_from_dict(data: Mapping[str, Any]) -> Evaluation:
    """The Evaluation that evaluation_to_dict turned into `data`; raises KeyError or TypeError
    when `data` is not that form."""
    return Evaluation(
        bank_id=data["bank_id"],
        bank_version=data["bank_version"],
        profiles=tuple(data["profiles"]),
        visible=tuple(data["visible"]),
        answered=tuple(data["answered"]),
        missing=tuple(data["missing"]),
        hidden_answers=tuple(data["hidden_answers"]),
        invalid=tuple(AnswerIssue(**item) for item in data["invalid"]),
        progress=Progress(**data["progress"]),
        sections=tuple(SectionProgress(**item) for item in data["sections"]),
        computed=dict(data["computed"]),
        findings=tuple(_finding(item) for item in data["findings"]),
        criteria=tuple(CriterionResult(**item) for item in data["criteria"]),
        overall=Overall(**data["overall"]),
        prohibitions=tuple(ProhibitionHit(**item) for item in data["prohibitions"]),
        obligations=tuple(ObligationHit(**item) for item in data["obligations"]),
        coverage=tuple(_coverage(item) for item in data["coverage"]),
        schema_version=str(data.get("schema_version", "")),
    )

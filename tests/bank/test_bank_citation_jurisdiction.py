"""Every law a rule cites is shown only where its profile is chosen, or is general on purpose.

A finding leaves out the citations whose source starts with a `sources` prefix of a profile that
was not chosen (foreign_sources in pia/engine/evaluation/evaluate.py). A citation of a statute whose
source misses its profile's prefix, by a typo ("RWC 43.386.080(2)") or another spelling ("Eu AI
Act", "EU GDPR"), belongs to no profile and is shown to every jurisdiction as if it bound them. So
each rule citation that names a jurisdiction's law must be owned by that jurisdiction's profile,
and each citation owned by no profile must be one of the sources the bank cites as general.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from pia.engine import Bank
from pia.engine.bank.model import Citation

# Words that name the law of one jurisdiction, and the profile whose `sources` must own a citation
# that contains them (matched ignoring case and spacing, so that a misspelt prefix is still caught).
JURISDICTION_MARKERS: dict[str, str] = {
    "RCW": "wa_rcw_43_386",
    "AI Act": "eu_ai_act_gdpr",
    "GDPR": "eu_ai_act_gdpr",
    "2016/680": "eu_ai_act_gdpr",
    "2024/1689": "eu_ai_act_gdpr",
    "ILCS": "il_bipa",
    "BIPA": "il_bipa",
    "Data Protection Act": "uk_dpa_bridges",
    "Equality Act": "uk_dpa_bridges",
    "E-Government Act": "us_egov_208",
    "Privacy Act": "us_egov_208",
}

# Sources that belong to no profile and are cited under every jurisdiction, and why that is right.
GENERAL_SOURCES: dict[str, str] = {
    "DHS Privacy Policy Guidance Memorandum 2008-01 (FIPPs)": "information practice principles",
    "NIST IR 8280": "a measurement study",
    "Gender Shades": "a measurement study",
    "ACLU test of Amazon Rekognition": "a published test",
    "Amazon guidance on Rekognition thresholds": "vendor guidance",
    "Amazon Rekognition CompareFaces documentation": "vendor documentation",
    "Georgetown Law, The Perpetual Line-Up": "a model policy and recommendations",
    "R (Bridges) v CC South Wales Police": "a judgment cited for its reasoning",
    "South Wales Police procedure quoted in Bridges": "a police procedure cited as practice",
    "Carpenter v. United States": "a judgment cited for its reasoning",
    "State v. Arteaga": "a judgment cited for its reasoning",
    "Datainspektionen decision DI-2019-2221": "a regulator's decision cited for its reasoning",
    "Seattle Municipal Code": "a CCOPS ordinance cited as a model",
    "Oakland Municipal Code": "a CCOPS ordinance cited as a model",
    "Berkeley Municipal Code": "a CCOPS ordinance cited as a model",
    "Santa Clara County Surveillance Use Policy model": "a CCOPS model policy",
}


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text).lower()


def _owners(bank: Bank, citation: Citation) -> set[str]:
    return {profile_id for profile_id, profile in bank.profiles.items() if profile.owns(citation)}


def misfiled(bank: Bank, citation: Citation) -> str | None:
    """Why the citation would be shown under the wrong jurisdictions, or None."""
    owners = _owners(bank, citation)
    for marker, profile_id in JURISDICTION_MARKERS.items():
        if _squeezed(marker) in _squeezed(citation.source) and profile_id not in owners:
            return (
                f"names {marker!r} but starts with none of the `sources` prefixes of {profile_id}"
            )
    if not owners and not citation.source.startswith(tuple(GENERAL_SOURCES)):
        return "belongs to no profile and is not a general source"
    return None


def _rule_citations(bank: Bank) -> Iterator[tuple[str, Citation]]:
    for rule in bank.rules.values():
        for citation in rule.citations:
            yield rule.id, citation


def test_every_rule_citation_is_filed_under_its_jurisdiction_or_general(real_bank: Bank) -> None:
    wrong = [
        f"rule {rule_id}: {citation.source!r} {reason}"
        for rule_id, citation in _rule_citations(real_bank)
        if (reason := misfiled(real_bank, citation))
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "source",
    [
        "RWC 43.386.080(2)",  # a typo in the prefix: owned by no profile
        "Eu AI Act Art 5(1)(e)",  # the EU profile's prefix is "EU AI Act"
        "EU GDPR Art 9(1)",  # the EU profile's prefix is "GDPR"
        "Washington RCW 43.386.080(5)",  # names the RCW, starts with no Washington prefix
        "740ILCS 14/15(b)",
        "UK Data Protection Act 2018 s.64",
    ],
)
def test_a_misspelt_jurisdiction_prefix_is_caught(real_bank: Bank, source: str) -> None:
    assert misfiled(real_bank, Citation(source=source)) is not None


@pytest.mark.parametrize(
    "source",
    [
        "RCW 43.386.080(2)",
        "EU AI Act Art 5(1)(e)",
        "GDPR Art 9(1)",
        "Directive (EU) 2016/680 Art 10",
        "740 ILCS 14/15(b)",
        "Data Protection Act 2018 s.64(3)(b)",
        "E-Government Act of 2002 s.208(b)(1)(B)(i)",
        "NIST IR 8280 (Dec 2019)",
    ],
)
def test_correctly_filed_sources_pass(real_bank: Bank, source: str) -> None:
    assert misfiled(real_bank, Citation(source=source)) is None


def test_each_jurisdiction_marker_is_in_a_sources_prefix_of_its_profile(real_bank: Bank) -> None:
    """The markers stay in step with the profiles' `sources`."""
    for marker, profile_id in JURISDICTION_MARKERS.items():
        prefixes = real_bank.profiles[profile_id].sources
        assert any(_squeezed(marker) in _squeezed(prefix) for prefix in prefixes), marker

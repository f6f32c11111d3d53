"""RCW 43.386.080(5) is cited as it reads, both sentences of it.

"A state or local law enforcement agency may not use the results of a facial recognition service as
the sole basis to establish probable cause in a criminal investigation. The results of a facial
recognition service may be used in conjunction with other information and evidence lawfully
obtained by a law enforcement officer to establish probable cause in a criminal investigation."
(app.leg.wa.gov, RCW 43.386.080; 2020 c 257 s 11.)
"""

from __future__ import annotations

from collections.abc import Iterator

from pia.engine import Bank
from pia.engine.bank.model import Citation

CITE = "RCW 43.386.080(5)"
NOTE = (
    "a state or local law enforcement agency may not use the results of a facial recognition "
    "service as the sole basis to establish probable cause in a criminal investigation; the "
    "results may be used in conjunction with other information and evidence lawfully obtained by "
    "a law enforcement officer to establish probable cause in a criminal investigation"
)


def _citations(bank: Bank) -> Iterator[tuple[str, Citation]]:
    for rule in bank.rules.values():
        yield from ((f"rule {rule.id}", c) for c in rule.citations)
    for question in bank.questions.values():
        yield from ((f"question {question.id}", c) for c in question.citations)
    for criterion in bank.criteria.values():
        yield from ((f"criterion {criterion.id}", c) for c in criterion.sources)


def test_every_citation_of_the_subsection_states_both_sentences(real_bank: Bank) -> None:
    cited = [(where, c) for where, c in _citations(real_bank) if c.source == CITE]
    assert len(cited) >= 5
    for where, citation in cited:
        assert citation.note == NOTE, where


def test_the_washington_element_and_duty_say_what_the_subsection_says(real_bank: Bank) -> None:
    profile = real_bank.profiles["wa_rcw_43_386"]
    texts = [e.text for e in profile.elements if e.cite == CITE]
    texts += [o.text for o in profile.obligations if o.cite == CITE]
    assert len(texts) == 2
    for text in texts:
        assert "sole basis to establish probable cause in a criminal investigation" in text
        assert (
            "in conjunction with other information and evidence lawfully obtained by a law "
            "enforcement officer" in text
        )

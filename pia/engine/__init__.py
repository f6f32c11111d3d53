"""The assessment engine: question bank, checker, expressions and evaluation.

Standard library and PyYAML only (tests/test_layers.py enforces it). The public API:

    bank = load_bank("questions")                # raises BankError listing every problem
    bank, problems = check_bank("questions")     # the same without raising
    evaluation = evaluate(bank, answers, ["wa_rcw_43_386"])
    evaluation_to_json(evaluation)               # the documented JSON form (docs/evaluation.md)
    compare_revisions(bank, ComparedRevision(...), ComparedRevision(...))  # -> Comparison
    plan = action_plan(bank, answers, profiles)  # what would lower the risk, best first
"""

from pia.engine.bank.loader import check_bank, load_bank, resolve_bank_dir
from pia.engine.bank.model import Bank, Location
from pia.engine.bank.problems import BankError, Code, Problem
from pia.engine.compare import (
    ComparedRevision,
    Comparison,
    EvidenceChange,
    EvidenceItem,
    FindingChange,
    LevelChange,
    TextChange,
    WordPiece,
    compare_revisions,
    word_diff,
)
from pia.engine.evaluation.answers import allowed_values, check_answers
from pia.engine.evaluation.answers_file import (
    AnswersDocument,
    AnswersFileError,
    answers_document,
    read_answers_file,
)
from pia.engine.evaluation.evaluate import (
    UnknownProfile,
    chosen_profiles,
    evaluate,
    foreign_sources,
)
from pia.engine.evaluation.fingerprint import canonical_json, fingerprint
from pia.engine.evaluation.result import (
    COVERED_ANSWERED,
    COVERED_MISSING,
    COVERED_NOT_APPLICABLE,
    COVERED_PARTIAL,
    NOT_RATED,
    PROHIBITED,
    SCHEMA_VERSION,
    AnswerIssue,
    Evaluation,
    evaluation_to_dict,
    evaluation_to_json,
)
from pia.engine.planning import (
    ActionPlan,
    Advice,
    AnswerStep,
    FindingShift,
    PlanError,
    PlanItem,
    WhatIf,
    action_plan,
    what_if,
)

__all__ = [
    "COVERED_ANSWERED",
    "COVERED_MISSING",
    "COVERED_NOT_APPLICABLE",
    "COVERED_PARTIAL",
    "NOT_RATED",
    "PROHIBITED",
    "SCHEMA_VERSION",
    "ActionPlan",
    "Advice",
    "AnswerIssue",
    "AnswerStep",
    "AnswersDocument",
    "AnswersFileError",
    "Bank",
    "BankError",
    "Code",
    "ComparedRevision",
    "Comparison",
    "Evaluation",
    "EvidenceChange",
    "EvidenceItem",
    "FindingChange",
    "FindingShift",
    "LevelChange",
    "Location",
    "PlanError",
    "PlanItem",
    "Problem",
    "TextChange",
    "UnknownProfile",
    "WhatIf",
    "WordPiece",
    "action_plan",
    "allowed_values",
    "answers_document",
    "canonical_json",
    "check_answers",
    "check_bank",
    "chosen_profiles",
    "compare_revisions",
    "evaluate",
    "evaluation_to_dict",
    "evaluation_to_json",
    "fingerprint",
    "foreign_sources",
    "load_bank",
    "read_answers_file",
    "resolve_bank_dir",
    "what_if",
    "word_diff",
]

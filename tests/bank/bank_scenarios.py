"""Answer sets built from the example assessments, for rules and prohibitions no example triggers.

Each scenario is (example file stem, answers to change). Starting from a realistic, complete
assessment and changing one or two answers keeps every scenario plausible and every dependency
(show_if conditions) satisfied.
"""

from __future__ import annotations

from typing import Any

from pia.engine import AnswersDocument, Bank, check_answers, evaluate
from pia.engine.evaluation.result import Evaluation

Scenario = tuple[str, dict[str, Any]]

# Rule id -> a scenario in which it must fire. Rules that fire in an example need no entry.
RULE_SCENARIOS: dict[str, Scenario] = {
    "fmr_disparity_large": (
        "door_access_verification",
        {"fmr_by_group": {"women": 0.05, "men": 0.002, "white": 0.001, "black": 0.04}},
    ),
    "error_rate_above_one_percent": ("door_access_verification", {"fmr_overall": 2.5}),
    "no_consent_sought": ("door_access_verification", {"consent_basis": "no_consent"}),
    "refused_on_failed_verification": (
        "door_access_verification",
        {"verification_fallback": "refused"},
    ),
    "retention_beyond_three_years": (
        "door_access_verification",
        {"template_retention": "fixed_period", "retention_max_years": 5},
    ),
    "no_encryption": ("door_access_verification", {"encryption": False}),
    "hosting_unknown": ("door_access_verification", {"deployment_model": "unknown"}),
    "acceptable_use_conflict": ("door_access_verification", {"acceptable_use_conflict": True}),
    "logs_kept_too_briefly": ("door_access_verification", {"log_retention_years": 0.5}),
    "edited_probes": (
        "sheriff_face_search_pilot",
        {"probe_sources": ["crime_scene", "sketches_edited"]},
    ),
    "protest_use_permitted": ("sheriff_face_search_pilot", {"protest_policy": "permitted"}),
    "sensitive_categorisation": (
        "sheriff_face_search_pilot",
        {"inference_features": ["ethnicity"], "inference_validation": "vendor_study"},
    ),
    "licence_or_passport_gallery": (
        "sheriff_face_search_pilot",
        {
            "gallery_sources": ["booking_photos", "licence_photos"],
            "licence_photo_access": "court_order",
        },
    ),
    "licence_photos_without_court_order": (
        "sheriff_face_search_pilot",
        {
            "gallery_sources": ["booking_photos", "licence_photos"],
            "licence_photo_access": "direct_access",
        },
    ),
    "other_agency_gallery": (
        "sheriff_face_search_pilot",
        {"gallery_sources": ["booking_photos", "other_agency"]},
    ),
    "attribute_estimation": ("school_attendance", {"inference_features": ["age", "gender"]}),
    "live_public_other_operator": ("live_recognition_public_events", {"agency_type": "transport"}),
    "continuous_live_matching": (
        "live_recognition_public_events",
        {"live_operation": "continuous"},
    ),
    "consent_ground_not_genuine": (
        "door_access_verification",
        {"alternative_offered": False, "verification_fallback": "refused"},
    ),
    "emotion_or_behaviour_monitoring_in_public": (
        "live_recognition_public_events",
        {
            "inference_features": ["behaviour"],
            "inference_validation": "vendor_study",
            "inference_use": "trigger_action",
        },
    ),
    "exigent_use_undocumented": (
        "live_recognition_public_events",
        {"live_legal_basis": "exigent", "exigent_documentation": False},
    ),
    "live_without_warrant": ("live_recognition_public_events", {}),
    "post_identification_unauthorised": ("federal_scraped_database_trial", {}),
    "threshold_hidden_by_vendor": (
        "sheriff_face_search_pilot",
        {"threshold_control": "vendor_hidden"},
    ),
    "warrants_not_reported": ("live_recognition_public_events", {}),
    "pupils_consent_under_dependence": (
        "school_attendance",
        {"consent_basis": "opt_in", "alternative_offered": False},
    ),
}

# Answers that put common safeguards in place; with the examples, the donors of the answers a
# mitigation's condition reads (see test_bank_mitigations.py).
SAFEGUARDS: dict[str, Any] = {
    "human_review": "two_examiners",
    "corroboration_required": True,
    "examiner_training": "accredited",
    "operational_testing": "independent_own_images",
    "demographic_test_data": "independent",
    "threshold": 99,
    "use_approver": "judge",
    "inference_use": "statistics_only",
    "governing_body_vote": True,
    "benefit_evidence": "independent_evaluation",
    "sharing_agreements": True,
    "disclosure_log": True,
    "live_operation": "specific_incident",
    "licence_photo_access": "request_per_case",
    "parental_consent": True,
}

# (rule, mitigation) -> a scenario in which the rule fires and the mitigation applies, for the few
# that no example combined with SAFEGUARDS reaches.
MITIGATION_SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("fmr_disparity_large", "reviewed_and_corroborated"): (
        "live_recognition_public_events",
        {
            "fmr_by_group": {"women": 0.05, "white": 0.002},
            "human_review": "two_examiners",
            "corroboration_required": True,
        },
    ),
    ("body_camera_or_drone_recognition", "court_authorised"): (
        "sheriff_face_search_pilot",
        {"retrospective_court_authorisation": "warrant_or_order"},
    ),
    ("emotion_recognition_work_education", "medical_or_safety"): (
        "school_attendance",
        {"emotion_purpose": "safety"},
    ),
    ("pupils_consent_under_dependence", "real_alternative"): (
        "school_attendance",
        {"consent_basis": "opt_in", "alternative_offered": True},
    ),
    ("consent_ground_not_genuine", "opt_in_with_alternative"): (
        "school_attendance",
        {
            "legal_authority": "consent_with_alternative",
            "consent_basis": "opt_in",
            "alternative_offered": True,
        },
    ),
    ("feasible_alternative_rejected", "small_time_limited_pilot"): (
        "school_attendance",
        {
            "less_intrusive_feasible": "feasible_not_chosen",
            "procurement_stage": "pilot",
            "people_count": 22,
        },
    ),
    ("licence_or_passport_gallery", "statute_provides"): (
        "sheriff_face_search_pilot",
        {
            "gallery_sources": ["booking_photos", "licence_photos"],
            "licence_photo_access": "court_order",
            "legal_authority": "specific_statute",
        },
    ),
    ("live_public_law_enforcement", "published_rules"): (
        "live_recognition_public_events",
        {"deployment_rules": "published_criteria", "watchlist_criteria": "published_offence_based"},
    ),
    ("tracking_across_time", "warrant_each_use"): (
        "live_recognition_public_events",
        {"tracking": True, "live_legal_basis": "warrant"},
    ),
}

# (profile, rule) -> a scenario in which the prohibition applies under that profile.
PROHIBITION_SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("wa_rcw_43_386", "live_without_warrant"): ("live_recognition_public_events", {}),
    ("wa_rcw_43_386", "continuous_live_matching"): (
        "live_recognition_public_events",
        {"live_operation": "continuous"},
    ),
    ("wa_rcw_43_386", "tracking_across_time"): ("federal_scraped_database_trial", {}),
    ("wa_rcw_43_386", "protest_use_permitted"): (
        "sheriff_face_search_pilot",
        {"protest_policy": "permitted"},
    ),
    ("eu_ai_act_gdpr", "live_public_law_enforcement"): ("live_recognition_public_events", {}),
    ("eu_ai_act_gdpr", "scraped_image_database"): ("federal_scraped_database_trial", {}),
    ("eu_ai_act_gdpr", "emotion_recognition_work_education"): ("school_attendance", {}),
    ("eu_ai_act_gdpr", "sensitive_categorisation"): (
        "sheriff_face_search_pilot",
        {"inference_features": ["ethnicity"], "inference_validation": "vendor_study"},
    ),
    ("uk_dpa_bridges", "live_use_without_legal_framework"): ("uk_police_live_watchlist", {}),
}


def scenario_answers(examples: dict[str, AnswersDocument], scenario: Scenario) -> dict[str, Any]:
    stem, changes = scenario
    return {**examples[stem].answers, **changes}


def evaluate_answers(bank: Bank, answers: dict[str, Any], profiles: tuple[str, ...]) -> Evaluation:
    """Checks the answers (a scenario must be valid) and evaluates them."""
    values, issues = check_answers(bank, answers)
    assert not issues, [f"{i.question}: {i.message}" for i in issues]
    return evaluate(bank, values, profiles)

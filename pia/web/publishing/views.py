"""Redaction and publication of an assessment, for its officers and reviewers.

- GET  /assessments/<id>/publication                           what will be withheld and published
- POST /assessments/<id>/publication/redactions                 officer: withhold an item
- POST /assessments/<id>/publication/redactions/<r>/withdraw    officer: take a redaction back
- POST /assessments/<id>/publication/redactions/<r>/approve     reviewer: approve a redaction
- POST /assessments/<id>/publication/allow                      reviewer: the board allows it
- POST /assessments/<id>/publication/comment                    officer: publish for comment
- POST /assessments/<id>/publication/final                      officer: publish the final version

Refusals change nothing: bad input re-shows the page with the message beside the field (400);
publishing before it may happen (no permission, redactions awaiting approval, the comment period
not over) is a 409 page saying why; an action the status does not allow is a 409 naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from pia.engine.bank.model import Bank
from pia.report.answers import is_answered, note_texts, plain_data
from pia.report.public import published_value_sha256
from pia.store import get_revision
from pia.store.errors import InvalidInput, NotFound, StaleForm, WrongStatus
from pia.store.evidence import get_evidence, revision_evidence
from pia.store.models import Assessment, Revision
from pia.store.policy import Action, decide
from pia.store.public_models import REDACT_ANSWER, REDACT_EVIDENCE, REDACT_NOTE, Redaction
from pia.store.publication import NotPublishable, publication_permission, publications_for
from pia.store.redaction import TARGET_LABELS, redactions_for
from pia.store.withdrawal import PublishedItem, published_items, withdrawn_by_redaction
from pia.web.publishing.forms import AllowForm, CommentPeriodForm, RedactionForm
from pia.web.shared.access import abort_wrong_status, assessment_or_abort, current_user
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session

bp = Blueprint("publishing", __name__, template_folder="templates")
# The store's argument names that a form shows under another field.
FIELD_OF = {"kind": "item", "target": "item"}


def _latest(assessment: Assessment) -> Revision | None:
    if assessment.revision_count < 1:
        return None
    return get_revision(get_session(), assessment, assessment.revision_count)


def item_choices(
    bank: Bank,
    revision: Revision | None,
    published: list[PublishedItem],
    revisions: dict[int, int],
) -> list[SelectChoice]:
    """What the officer may withhold: the latest revision's answers, notes and evidence files,
    and what a publication shows that the revision no longer says or holds (an answer changed
    or an evidence file removed since), so that it can be taken down from the publications
    that show it. `revisions`: each publication's revision number, by publication id."""
    if revision is None:
        return []
    choices = [SelectChoice("", "Choose an item")]
    answers = plain_data(dict(revision.answers or {}))
    notes = note_texts(revision.notes or {})
    current = {REDACT_ANSWER: answers, REDACT_NOTE: notes}
    for qid, question in bank.questions.items():
        if question.sensitive:
            continue  # always withheld
        if is_answered(answers.get(qid)):
            choices.append(SelectChoice(f"{REDACT_ANSWER}:{qid}", f"Answer: {question.text}"))
        if (notes.get(qid) or "").strip():
            choices.append(SelectChoice(f"{REDACT_NOTE}:{qid}", f"Note: {question.text}"))
    for item in revision_evidence(get_session(), revision):
        if item.get("evidence_id"):
            value = f"{REDACT_EVIDENCE}:{item['evidence_id']}"
            choices.append(SelectChoice(value, f"Evidence file: {item['filename']}"))
    offered = {choice.value for choice in choices}
    for shown in published:
        question = bank.questions.get(shown.question)
        if question is None or question.sensitive:
            continue
        if shown.kind == REDACT_EVIDENCE:
            value, label = f"{shown.kind}:{shown.target}", f"Evidence file: {shown.filename}"
        else:
            now = current[shown.kind].get(shown.question)
            if now is not None and published_value_sha256(now) == shown.value_sha256:
                continue  # the revision still says it: offered above
            value = f"{shown.kind}:{shown.target}:{shown.value_sha256}"
            label = f"{TARGET_LABELS[shown.kind].capitalize()} as published: {question.text}"
        if value in offered:
            continue
        numbers = sorted({revisions[p] for p in shown.publications if p in revisions})
        published_with = ", ".join(str(number) for number in numbers)
        label += f" (published with revision {published_with}; not in revision {revision.number})"
        choices.append(SelectChoice(value, label))
        offered.add(value)
    return choices


def parse_item(value: str) -> tuple[str, str, str]:
    """A choice's value -> (kind, target, the published value's SHA-256 or "")."""
    kind, _, rest = (value or "").partition(":")
    target, _, value_sha256 = rest.partition(":")
    return kind, target, value_sha256


def _describe(bank: Bank, redaction: Redaction, evidence_names: dict[str, str]) -> str:
    kind, target = redaction.target_kind, redaction.target_id
    if kind == REDACT_EVIDENCE:
        return f"Evidence file: {evidence_names.get(target, 'a removed file')}"
    question = bank.questions.get(target)
    what = TARGET_LABELS.get(kind, kind).capitalize()
    if redaction.value_sha256:
        what += " as published (changed since)"
    return f"{what}: {question.text if question else target}"


def render_page(
    assessment: Assessment,
    *,
    forms: dict[str, Any] | None = None,
    refusal: str = "",
    status: int = 200,
) -> tuple[str, int]:
    bank = get_bank()
    session = get_session()
    revision = _latest(assessment)
    user = current_user()
    published = published_items(session, assessment)
    publications = publications_for(session, assessment)
    asked = redactions_for(session, assessment)
    # The files' rows stay when a file is removed: a redaction names its file by them.
    files = (
        get_evidence(session, int(item.target_id))
        for item in asked
        if item.target_kind == REDACT_EVIDENCE and item.target_id.isdigit()
    )
    names = {str(file.id): file.filename for file in files if file is not None}
    redactions = [(item, _describe(bank, item, names)) for item in asked]
    forms = forms or {}
    redaction_form = forms.get("redaction") or RedactionForm()
    redaction_form.item.choices = item_choices(
        bank, revision, published, {p.id: p.revision_number for p in publications}
    )
    allow_form = forms.get("allow") or AllowForm(revision=assessment.revision_count)
    period_form = forms.get("period") or CommentPeriodForm()
    permission = publication_permission(session, assessment, revision.number) if revision else None
    sensitive = [question for question in bank.questions.values() if question.sensitive]
    return (
        render_template(
            "publishing/page.html",
            assessment=assessment,
            revision=revision,
            redactions=redactions,
            withdrawn=withdrawn_by_redaction(session, assessment),
            waiting=sum(1 for item, _ in redactions if item.approved_at is None),
            sensitive=sensitive,
            permission=permission,
            publications=publications,
            redaction_form=redaction_form,
            allow_form=allow_form,
            period_form=period_form,
            may=lambda action: decide(user, action, assessment).allowed,
            Action=Action,
            refusal=refusal,
        ),
        status,
    )


@bp.get("/assessments/<int:assessment_id>/publication")
def page(assessment_id: int) -> Any:
    assessment = assessment_or_abort(assessment_id, Action.VIEW)
    return render_page(assessment)


def _run(
    assessment: Assessment,
    action: str,
    verb: Callable[[], Any],
    success: str,
    forms: dict[str, Any] | None = None,
) -> Any:
    """Call the verb; turn the store's refusals into pages that say what happened."""
    session = get_session()
    try:
        verb()
    except InvalidInput as bad:
        session.rollback()
        session.expire_all()
        form = next(iter((forms or {}).values()), None)
        name = FIELD_OF.get(bad.field, bad.field)
        field = getattr(form, name, None) if form is not None and name else None
        if field is not None:
            field.errors = [*field.errors, f"{str(bad)[:1].upper()}{str(bad)[1:]}."]
        return render_page(
            assessment, forms=forms, refusal=f"Nothing was saved: {bad}.", status=400
        )
    except (NotPublishable, StaleForm) as refused:
        session.rollback()
        session.expire_all()
        return render_page(
            assessment, forms=forms, refusal=f"Nothing was published: {refused}.", status=409
        )
    except WrongStatus as refused:
        detail = str(refused)
        abort_wrong_status(action, refused.current_status, detail[:1].upper() + detail[1:])
    except NotFound as missing:
        abort(404, description=str(missing))
    flash(success, "success")
    return redirect(url_for("publishing.page", assessment_id=assessment.id), 303)


def _user() -> Any:
    user = current_user()
    assert user is not None  # assessment_or_abort allowed the action
    return user


@bp.post("/assessments/<int:assessment_id>/publication/redactions")
def redact(assessment_id: int) -> Any:
    from pia.store.redaction import request_redaction

    assessment = assessment_or_abort(assessment_id, Action.REDACT)
    form = RedactionForm(request.form)
    form.validate()
    kind, target, value_sha256 = parse_item(form.item.data or "")
    return _run(
        assessment,
        "redact",
        lambda: request_redaction(
            get_session(),
            get_bank(),
            assessment,
            _user(),
            kind=kind,
            target=target,
            reason=form.reason.data or "",
            explanation=form.explanation.data or "",
            value_sha256=value_sha256,
        ),
        "The redaction awaits a reviewer's approval.",
        {"redaction": form},
    )


@bp.post("/assessments/<int:assessment_id>/publication/redactions/<int:redaction_id>/withdraw")
def withdraw(assessment_id: int, redaction_id: int) -> Any:
    from pia.store.redaction import withdraw_redaction

    assessment = assessment_or_abort(assessment_id, Action.REDACT)
    return _run(
        assessment,
        "redact",
        lambda: withdraw_redaction(get_session(), assessment, _user(), redaction_id),
        "The redaction was withdrawn: the item will be published.",
    )


@bp.post("/assessments/<int:assessment_id>/publication/redactions/<int:redaction_id>/approve")
def approve(assessment_id: int, redaction_id: int) -> Any:
    from pia.store.redaction import approve_redaction

    assessment = assessment_or_abort(assessment_id, Action.APPROVE_REDACTION)
    return _run(
        assessment,
        "approve redaction",
        lambda: approve_redaction(get_session(), assessment, _user(), redaction_id),
        "Redaction approved.",
    )


@bp.post("/assessments/<int:assessment_id>/publication/allow")
def allow(assessment_id: int) -> Any:
    from pia.store.publication import allow_publication

    assessment = assessment_or_abort(assessment_id, Action.ALLOW_PUBLICATION)
    form = AllowForm(request.form)
    if not form.validate():
        return render_page(
            assessment, forms={"allow": form}, refusal="Nothing was saved.", status=400
        )
    return _run(
        assessment,
        "allow publication",
        lambda: allow_publication(
            get_session(),
            assessment,
            _user(),
            revision=form.revision.data,
            note=form.note.data or "",
        ),
        "Publication allowed: the officer can now publish the assessment.",
        {"allow": form},
    )


@bp.post("/assessments/<int:assessment_id>/publication/comment")
def publish_comment(assessment_id: int) -> Any:
    from pia.store.publication import publish_for_comment

    assessment = assessment_or_abort(assessment_id, Action.PUBLISH)
    form = CommentPeriodForm(request.form)
    if not form.validate():
        return render_page(
            assessment,
            forms={"period": form},
            refusal=f"Nothing was published. {DATE_HINT}",
            status=400,
        )
    return _run(
        assessment,
        "publish",
        lambda: publish_for_comment(
            get_session(),
            get_bank(),
            assessment,
            _user(),
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
        ),
        "Published for public comment.",
        {"period": form},
    )


DATE_HINT = "Enter the dates as YYYY-MM-DD."


@bp.post("/assessments/<int:assessment_id>/publication/final")
def publish_final(assessment_id: int) -> Any:
    from pia.store.publication import publish_final as publish_final_verb

    assessment = assessment_or_abort(assessment_id, Action.PUBLISH)
    return _run(
        assessment,
        "publish",
        lambda: publish_final_verb(get_session(), get_bank(), assessment, _user()),
        "The final version is published.",
    )

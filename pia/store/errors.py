"""Errors the store raises on purpose. Every one derives from StoreError, itself a PiaError, and
carries a message fit to show a person."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia.errors import PiaError


class StoreError(PiaError):
    """The root of the store's errors."""


class InvalidInput(StoreError):
    """A value given to an operation is not acceptable (bad email, unknown profile, too long...).

    `field` names the argument at fault so a form can show the message beside it.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
        # Every value refused at once (InvalidInputs gathers several): a form shows each beside
        # its own field rather than making the person find them one submission at a time.
        self.problems: tuple[InvalidInput, ...] = (self,)


class InvalidInputs(InvalidInput):
    """Several values refused at once (say, two conditions of a decision): `problems` holds each
    one; the message and field are the first's."""

    def __init__(self, problems: Sequence[InvalidInput]) -> None:
        flat = tuple(one for problem in problems for one in problem.problems)
        super().__init__(str(flat[0]), field=flat[0].field)
        self.problems = flat


class NotAllowed(StoreError):
    """The acting user may not do this (a second line of defence behind the web layer's checks)."""


class NotFound(StoreError):
    """The row an operation was asked to change no longer exists."""


class StaleVersion(StoreError):
    """Someone saved the assessment since the caller read it: nothing was written.

    Carries what is in the database now, so the caller can show both versions and let the person
    choose: `current_answers`, `current_notes`, `current_version` (the lock version to send back).
    """

    def __init__(
        self,
        current_answers: Mapping[str, Any],
        current_notes: Mapping[str, str],
        current_version: int,
        questions: Sequence[str] | None = None,
    ) -> None:
        super().__init__(
            "this assessment was changed elsewhere since you opened it "
            f"(it is now at version {current_version}); nothing was saved"
        )
        self.current_answers = dict(current_answers)
        self.current_notes = dict(current_notes)
        self.current_version = current_version
        # With a merging save: the questions changed both here and elsewhere (None: any change
        # since the caller's version is a conflict).
        self.questions = tuple(questions) if questions is not None else None


class NotReady(StoreError):
    """The assessment cannot be submitted: required answers are missing or answers are invalid.

    `missing` holds question ids; `invalid` holds the engine's AnswerIssue values.
    """

    def __init__(self, missing: Sequence[str], invalid: Sequence[Any]) -> None:
        self.missing = tuple(missing)
        self.invalid = tuple(invalid)
        parts = []
        if self.missing:
            parts.append(f"{len(self.missing)} required question(s) unanswered")
        if self.invalid:
            parts.append(f"{len(self.invalid)} answer(s) not valid")
        super().__init__("the assessment cannot be submitted yet: " + " and ".join(parts))


class UploadRejected(StoreError):
    """An evidence file was refused; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WrongStatus(StoreError):
    """The action is not possible from the assessment's (or condition's) current status.

    `current_status` names it, so the caller can say what it is now (HTTP 409).
    """

    def __init__(self, message: str, *, current_status: str) -> None:
        super().__init__(message)
        self.current_status = current_status


class StaleForm(StoreError):
    """A review form was built from an older state (e.g. an earlier revision): nothing changed."""


class AlreadySubmitted(WrongStatus):
    """The assessment has not changed since its last submission (its status is "submitted")."""

    def __init__(self, message: str) -> None:
        super().__init__(message, current_status="submitted")

"""Refuses, before any view runs, input no form of pia's could send:

- control characters (NUL and the other C0 controls except tab and line breaks, and DEL) in any
  form field, query parameter or JSON string: they cannot be stored (PostgreSQL refuses NUL in
  text) and no one types them;
- the same form field sent twice, except the fields that are lists (checkboxes): a browser never
  repeats a single field, and quietly keeping the first copy could save something other than what
  was meant. Section pages, whose list fields come from the question bank, are checked by the
  wizard itself (pia.web.wizard.saving.read_form).

- a form body that cannot be read at all, such as an upload whose file name is not UTF-8:
  Werkzeug would silently hand the views an empty form (which then looked like an expired form).

All are a 400 with a page saying what was wrong; nothing is saved. The checks run before the CSRF
check, so a form that cannot be read is not reported as an expired one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.formparser import FormDataParser

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Fields that are lists of checkboxes outside the wizard (admin remit, assessment profiles, the
# public comments one response answers).
LIST_FIELDS = frozenset({"remit", "profiles", "comment_ids"})
WIZARD = "wizard"


class ReportingFormDataParser(FormDataParser):
    """Werkzeug's form parser, noting a body it could not parse instead of only dropping it."""

    failed = False

    def parse(self, *args: Any, **kwargs: Any) -> Any:
        self.silent = False
        try:
            return super().parse(*args, **kwargs)
        except ValueError:
            self.failed = True
            return args[0] if args else kwargs.get("stream"), self.cls(), self.cls()


class PiaRequest(Request):
    form_parser: ReportingFormDataParser | None = None

    def make_form_data_parser(self) -> FormDataParser:
        parser = ReportingFormDataParser(
            stream_factory=self._get_file_stream,
            max_form_memory_size=self.max_form_memory_size,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
        )
        self.form_parser = parser
        return parser

    @property
    def form_unreadable(self) -> bool:
        _ = self.form  # parses the body, once
        return self.form_parser is not None and self.form_parser.failed


def refuse_unreadable_form() -> None:
    if request.method in ("POST", "PUT", "PATCH") and getattr(request, "form_unreadable", False):
        abort(
            400,
            description="The form could not be read, so nothing was saved. If you were uploading "
            "a file, its file name may use characters that are not valid text (not UTF-8): "
            "rename the file and upload it again.",
        )


def has_control_characters(text: str) -> bool:
    return CONTROL.search(text) is not None


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def refuse_control_characters() -> None:
    sources: list[Iterable[str]] = [
        (text for pair in request.args.items(multi=True) for text in pair)
    ]
    if request.method in ("POST", "PUT", "PATCH"):
        sources.append(text for pair in request.form.items(multi=True) for text in pair)
        if request.is_json:
            sources.append(_strings(request.get_json(silent=True)))
    for source in sources:
        if any(has_control_characters(text) for text in source):
            abort(
                400,
                description="The form contained a control character (such as a NUL byte), "
                "which cannot be stored. Nothing was saved. Remove it (it may have come with "
                "pasted text) and try again.",
            )


def refuse_repeated_fields() -> None:
    if request.method not in ("POST", "PUT", "PATCH") or request.blueprint == WIZARD:
        return
    counts = Counter(name for name, _ in request.form.items(multi=True))
    repeated = sorted(name for name, n in counts.items() if n > 1 and name not in LIST_FIELDS)
    if repeated:
        abort(
            400,
            description=f"The form sent the field {repeated[0]!r} more than once, which this page "
            "never does. Nothing was saved. Reload the page and try again.",
        )


def check_input() -> None:
    refuse_unreadable_form()
    refuse_control_characters()
    refuse_repeated_fields()


def init_app(app: Flask) -> None:
    """Call before CSRFProtect's init_app: these checks must run first."""
    app.request_class = PiaRequest
    app.before_request(check_input)

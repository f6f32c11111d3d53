"""Error pages: readable HTML in the site layout (JSON for JSON requests), never a traceback.

Every HTTP error a view raises, and every unexpected exception (logged with its traceback, shown
as a plain 500 page), comes through `handle_http_error`. The security headers are added
afterwards by security.add_security_headers, as on any other response.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from pia.store.errors import WrongStatus
from pia.web.shared.access import abort_wrong_status, wants_json

TITLES = {
    400: "The request could not be used",
    401: "Sign-in required",
    403: "You are not allowed to do that",
    404: "Page not found",
    405: "That action is not available here",
    409: "Someone else changed this first",
    413: "The upload is too large",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}

MESSAGES = {
    404: "There is nothing at this address, or you do not have access to it. "
    "Check the address, or go back to your dashboard.",
    403: "Your account does not have permission for this. "
    "If you think it should, ask an administrator.",
    405: "This page cannot be used that way. Go back and use the buttons on the page.",
    500: "The error has been logged. Your saved answers are safe. "
    "Try again, and if it keeps happening tell an administrator the time it happened.",
}

CSRF_MESSAGE = (
    "This form has expired or did not come from this site, so nothing was saved. "
    "Go back, reload the page and try again."
)


def message_for(error: HTTPException) -> str:
    if isinstance(error, CSRFError):
        return CSRF_MESSAGE
    code = error.code or 500
    if code == 413:
        limit = current_app.config.get("PIA_MAX_UPLOAD_MB", 10)
        return f"Files can be at most {limit:g} MB. Nothing was saved; choose a smaller file."
    if code in MESSAGES:
        return MESSAGES[code]
    return error.description or TITLES.get(code, "The request failed.")


def handle_http_error(error: HTTPException) -> tuple[Response | str, int, list[tuple[str, str]]]:
    code = error.code or 500
    title = getattr(error, "title", None) or TITLES.get(code, error.name)
    message = message_for(error)
    # Keep headers the error defines (Allow on 405, Retry-After on 429), not its content type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if wants_json() or request.path.endswith(".json"):
        return jsonify(error=title, message=message, status=code), code, headers
    try:
        body = render_template("errors/error.html", code=code, title=title, message=message)
    except Exception:
        # The layout needs the database (who is signed in); if that is what failed, say so plainly.
        current_app.logger.exception("error page could not be rendered")
        body = (
            f"<!doctype html><html lang='en'><title>{escape(title)}</title>"
            f"<h1>{escape(title)}</h1><p>{escape(message)}</p></html>"
        )
    return body, code, headers


def handle_wrong_status(error: WrongStatus) -> tuple[Response | str, int, list[tuple[str, str]]]:
    """A store operation found the status changed under it (e.g. archived meanwhile): 409."""
    try:
        abort_wrong_status("change", error.current_status)
    except HTTPException as conflict:
        return handle_http_error(conflict)
    raise AssertionError("abort_wrong_status always raises")  # pragma: no cover


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(WrongStatus, handle_wrong_status)

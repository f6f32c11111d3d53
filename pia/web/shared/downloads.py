"""Serving a stored file (evidence, a met condition's file): always as an attachment that a
browser may not sniff, cache or run."""

from __future__ import annotations

from flask import Response


def attachment_response(data: bytes, content_type: str, filename: str, sha256: str) -> Response:
    """The file with its checked content type, named for saving, and its SHA-256 in a header."""
    response = Response(data, mimetype=content_type)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    # Even if a browser ignored the attachment, the file may run nothing and load nothing.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Evidence-SHA256"] = sha256
    return response

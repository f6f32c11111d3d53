"""Serving a stored file (evidence, a met condition's file): always as an attachment that a
browser may not sniff, cache or run."""

from __future__ import annotations

import unicodedata
import urllib.parse

from flask import Response


def attachment_response(data: bytes, content_type: str, filename: str, sha256: str) -> Response:
    """The file with its checked content type, named for saving, and its SHA-256 in a header."""
    response = Response(data, mimetype=content_type)
    response.headers.set("Content-Disposition", "attachment", **_filename_options(filename))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    # Even if a browser ignored the attachment, the file may run nothing and load nothing.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Evidence-SHA256"] = sha256
    return response


def _filename_options(filename: str) -> dict[str, str]:
    """The filename as a header can carry it: HTTP headers are Latin-1, so a name in another script
    goes as RFC 6266's `filename*` (UTF-8, percent-encoded) beside an ASCII `filename` for old
    clients, as Flask's send_file writes it."""
    try:
        filename.encode("ascii")
        return {"filename": filename}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
        quoted = urllib.parse.quote(filename, safe="!#$&+-.^_`|~")
        return {"filename": simple, "filename*": f"UTF-8''{quoted}"}

"""Whatever bytes and name arrive, an upload is accepted or refused with a reason: never a crash,
and a name never carries a path, a control character or an unbounded length."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pia.store.errors import UploadRejected
from pia.store.evidence import (
    DOCX,
    FILENAME_MAX,
    JPEG,
    PDF,
    PNG,
    TEXT,
    check_upload,
    sanitise_filename,
)

MAGIC = [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04", b"MZ", b"\x7fELF"]


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(max_size=300),
    prefix=st.sampled_from([b"", *MAGIC]),
    body=st.binary(max_size=2048),
)
def test_check_upload_accepts_or_explains(name: str, prefix: bytes, body: bytes) -> None:
    data = prefix + body
    try:
        clean, kind = check_upload(name, data, 4096)
    except UploadRejected as rejected:
        assert rejected.reason
        return
    assert clean == sanitise_filename(name)
    assert "." + clean.rpartition(".")[2] in kind.extensions
    assert kind in (DOCX, JPEG, PDF, PNG, TEXT)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=1000))
def test_sanitised_names_are_safe(name: str) -> None:
    clean = sanitise_filename(name)
    assert clean and len(clean) <= FILENAME_MAX + 11
    assert "/" not in clean and "\\" not in clean
    assert not clean.startswith(".") and clean == clean.strip()
    assert all(unicodedata.category(char)[0] != "C" for char in clean)
    assert not any(char in clean for char in "<>:\"|?*;'`$&")
    assert sanitise_filename(clean) == clean  # stable: sanitising twice changes nothing

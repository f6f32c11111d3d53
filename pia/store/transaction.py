"""One unit of work per operation: commit on success, roll back on any error.

Store operations commit themselves, so a caller (a web view, the CLI) cannot forget to and lose
data; on failure the session is rolled back and left usable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def committing(session: Session) -> Iterator[Session]:
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise

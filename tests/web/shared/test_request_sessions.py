"""GET and HEAD requests read through a read-only session; other methods can write."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from pia.store.db import ReadOnlySessionError
from pia.store.models import Agency
from pia.web.shared.db import get_session


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_safe_requests_cannot_write(app: Flask, method: str) -> None:
    with app.test_request_context("/", method=method):
        session = get_session()
        assert session.scalars(select(Agency)).all() == []
        session.add(Agency(name="Written on a GET"))
        with pytest.raises(ReadOnlySessionError):
            session.commit()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_other_requests_write_in_a_transaction(app: Flask, method: str) -> None:
    with app.test_request_context("/", method=method):
        session = get_session()
        session.add(Agency(name="Rolled back"))
        session.flush()
        session.rollback()
        session.add(Agency(name="Written on a POST"))
        session.commit()
    with app.test_request_context("/", method="GET"):
        assert get_session().scalars(select(Agency.name)).all() == ["Written on a POST"]

"""The shared blueprint: the layout templates every feature extends (templates/), and
GET /healthz: is the database reachable, and which bank is loaded. For load balancers."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from pia.web.shared.config import get_bank
from pia.web.shared.db import get_engine

bp = Blueprint("shared", __name__, template_folder="templates")


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    from pia.store.db import ping

    bank = get_bank()
    database = bool(ping(get_engine()))
    body = jsonify(
        status="ok" if database else "degraded",
        database=database,
        bank={"id": bank.id, "version": bank.version},
    )
    return body, 200 if database else 503

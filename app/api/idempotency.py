"""`Idempotency-Key` on every POST: a retried request gets the first answer and creates
nothing twice (the IETF httpapi draft, as Stripe and GitHub do it)."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable

from flask import Response, g, make_response, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.api.models import IdempotentRequest
from app.api.problems import PROBLEM_JSON, ApiProblem, problem
from app.extensions import db

HEADER = "Idempotency-Key"


def _request_hash() -> str:
    return hashlib.sha256(
        b"\0".join([request.method.encode(), request.path.encode(), request.get_data()])
    ).hexdigest()


def _replay(record: IdempotentRequest) -> Response:
    response = Response(record.body, status=record.status)
    response.mimetype = PROBLEM_JSON if (record.status or 200) >= 400 else "application/json"
    if record.location:
        response.headers["Location"] = record.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable) -> Callable:
    """Without the header the view runs as usual. With it, the first request claims the key
    (committed, so a second one at the same moment is refused with 409 instead of running
    too) and its answer is kept; a retry gets that answer; the same key with another request
    is a 422. An unexpected failure frees the key, so the retry runs."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not 1 <= len(key) <= 255:
            raise ApiProblem(400, f"{HEADER} must be 1 to 255 characters.")
        api_key_id = g.api_key.id
        fingerprint = _request_hash()
        found = db.session.scalar(
            select(IdempotentRequest).where(
                IdempotentRequest.api_key_id == api_key_id, IdempotentRequest.key == key
            )
        )
        if found is not None:
            if found.request_hash != fingerprint:
                raise ApiProblem(422, f"This {HEADER} was used for a different request.")
            if found.status is None:
                raise ApiProblem(409, f"A request with this {HEADER} is still running.")
            return _replay(found)
        record = IdempotentRequest(
            id=uuid.uuid4(), api_key_id=api_key_id, key=key, request_hash=fingerprint
        )
        db.session.add(record)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise ApiProblem(409, f"A request with this {HEADER} is still running.") from None
        try:
            response = view(*args, **kwargs)
        except ApiProblem as refused:
            response = problem(refused.status, refused.detail, errors=refused.errors)
        except Exception:
            db.session.rollback()
            db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.id == record.id))
            db.session.commit()
            raise
        response = make_response(response)
        db.session.execute(
            IdempotentRequest.__table__.update()
            .where(IdempotentRequest.__table__.c.id == record.id)
            .values(
                status=response.status_code,
                body=response.get_data(as_text=True),
                location=response.headers.get("Location", "")[:300],
            )
        )
        db.session.commit()
        return response

    return wrapper

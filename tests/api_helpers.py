"""Helpers for the API's tests: a key for an employer, and JSON requests that carry it."""

from __future__ import annotations

import datetime as dt

from app.api import keys
from app.auth.models import User
from app.vacancies import services


def key_for(user: User, name: str = "Head office ATS") -> str:
    _record, key = keys.create_key(user, name)
    return key


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def vacancy_json(site_id=None, **changes) -> dict:
    """A valid vacancy, as the API takes it; the same answers as `vacancy_form`."""
    closing = services.today() + dt.timedelta(days=28)
    data: dict = {
        "job_title": "Kitchen assistant",
        "sector": "hospitality",
        "occupation": "Kitchen porter",
        "description": "Washing up and food preparation.\nEarly and late shifts.",
        "positions": 3,
        "hours_per_week": "37.5",
        "contract_type": "permanent",
        "pay_amount": "13.00",
        "pay_period": "hourly",
        "youngest_age": 18,
        "entry_level": True,
        "involves_driving": False,
        "essential_requirements": "Happy to work as part of a team.",
        "how_to_apply": "Phone Sam on 0113 496 0001.",
        "closing_date": closing.isoformat(),
        "offers_work_trial": True,
    }
    if site_id is not None:
        data["site_id"] = str(site_id)
    data.update(changes)
    return data

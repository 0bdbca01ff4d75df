"""Referral quality: the employers' suitability ratings of a district's referrals, averaged
and counted by the adviser who referred and by their office, over a period."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest

from app.auth.models import Role
from app.models_base import utcnow
from tests.factories import DistrictFactory, OfficeFactory
from tests.helpers import count_queries, get_page, sign_in
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
    staff,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

NOW = utcnow()


def rows(html: str, caption: str) -> dict[str, tuple[int, str, int]]:
    """The rows of the table with this caption: name -> (rated, average, not suitable)."""
    table = re.search(rf"<caption[^>]*>{caption}</caption>(.*?)</table>", html, re.S)
    assert table, f"no table {caption!r}"
    found = {}
    for name, rated, average, not_suitable in re.findall(
        r'<th scope="row"[^>]*>([^<]+)</th>\s*'
        r"<td[^>]*>(\d+)</td>\s*<td[^>]*>([\d.]+)</td>\s*<td[^>]*>(\d+)</td>",
        table.group(1),
    ):
        found[name] = (int(rated), average, int(not_suitable))
    return found


@pytest.fixture
def world():
    """Ratings of one district's referrals by three advisers in two offices, and ratings that
    must not count: unrated, too old, another district."""
    vacancy = live_vacancy()
    district = vacancy.district
    north, south = (
        OfficeFactory(district=district, name="Leeds North"),
        OfficeFactory(district=district, name="Leeds South"),
    )
    ada = adviser_in(district, north, name="Ada Adviser")
    ben = adviser_in(district, north, name="Ben Adviser")
    cat = adviser_in(district, south, name="Cat Adviser")
    ratings = [
        # (adviser, office, suitability or None, rated how long ago)
        (ada, north, 4, dt.timedelta(days=1)),
        (ada, north, 2, dt.timedelta(days=10)),
        (ada, north, 1, dt.timedelta(days=20)),
        (ada, north, None, None),  # not rated yet
        (ben, north, 3, dt.timedelta(days=5)),
        (ben, north, 1, dt.timedelta(days=200)),  # outside three months, inside twelve
        (cat, south, 4, dt.timedelta(days=2)),
        (cat, south, 4, dt.timedelta(days=3)),
    ]
    for adviser, _office, score, ago in ratings:
        referral(
            vacancy,
            fitting_customer(vacancy, adviser),
            by=adviser,
            suitability=score,
            rated_at=NOW - ago if ago else None,
        )
    # Another district's rated referral never counts here.
    elsewhere = live_vacancy()
    other = adviser_in(elsewhere.district, name="Ada Adviser")  # the same name, elsewhere
    referral(
        elsewhere,
        fitting_customer(elsewhere, other),
        by=other,
        suitability=1,
        rated_at=NOW - dt.timedelta(days=1),
    )
    return {
        "district": district,
        "ratings": ratings,
        "coordinator": staff(Role.COORDINATOR, district),
    }


def expected(ratings, days: int | None, key) -> dict[str, tuple[int, str, int]]:
    """The figures counted independently, in Python."""
    scores: dict[str, list[int]] = defaultdict(list)
    for adviser, office, score, ago in ratings:
        if score is None or (days is not None and ago > dt.timedelta(days=days)):
            continue
        scores[key(adviser, office)].append(score)
    return {
        name: (len(given), f"{sum(given) / len(given):.1f}", given.count(1))
        for name, given in scores.items()
    }


def test_quality_by_adviser_and_by_office_match_an_independent_count(app, world):
    client = sign_in(app.test_client(), world["coordinator"])
    with count_queries() as statements:
        html = get_page(client, "/referrals/quality", title="Referral quality")

    by_adviser = expected(world["ratings"], 89, lambda adviser, office: adviser.name)
    by_office = expected(world["ratings"], 89, lambda adviser, office: office.name)
    assert rows(html, "By adviser who referred") == by_adviser
    assert rows(html, "By office") == by_office
    # Spelled out, so a slip in `expected` cannot hide one in the page.
    assert by_adviser == {
        "Ada Adviser": (3, "2.3", 1),
        "Ben Adviser": (1, "3.0", 0),
        "Cat Adviser": (2, "4.0", 0),
    }
    assert by_office == {"Leeds North": (4, "2.5", 1), "Leeds South": (2, "4.0", 0)}
    grouped = [s for s in statements if "GROUP BY" in s and "referral" in s]
    assert len(grouped) == 2  # one query each


def test_a_longer_period_takes_in_older_ratings(app, world):
    client = sign_in(app.test_client(), world["coordinator"])
    html = get_page(client, "/referrals/quality?period=12")
    assert rows(html, "By adviser who referred")["Ben Adviser"] == (2, "2.0", 1)
    html = get_page(client, "/referrals/quality?period=all")
    assert rows(html, "By office") == expected(
        world["ratings"], None, lambda adviser, office: office.name
    )


def test_an_unknown_period_is_a_bad_request(app, world):
    client = sign_in(app.test_client(), world["coordinator"])
    get_page(client, "/referrals/quality?period=5", status=400)


def test_staff_see_only_their_own_district(app, world):
    client = sign_in(app.test_client(), staff(Role.LMRA, DistrictFactory()))
    html = get_page(client, "/referrals/quality")
    assert "No referrals have been rated in this period." in html
    assert "Ada Adviser" not in html


def test_an_administrator_chooses_the_district(app, world):
    admin = staff(Role.ADMIN, DistrictFactory())
    client = sign_in(app.test_client(), admin)
    assert "Ada Adviser" not in get_page(client, "/referrals/quality")
    html = get_page(client, f"/referrals/quality?district={world['district'].id}")
    assert rows(html, "By adviser who referred")["Cat Adviser"] == (2, "4.0", 0)
    get_page(client, "/referrals/quality?district=nonsense", status=400)


def test_a_district_with_no_ratings_says_so(app):
    client = sign_in(app.test_client(), staff(Role.DAM, DistrictFactory()))
    assert "No referrals have been rated in this period." in get_page(client, "/referrals/quality")

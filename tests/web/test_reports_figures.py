"""Every management information figure, and every CSV total, against counts the test makes
itself in Python from the raw rows of a varied world (tests/report_factories.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from sqlalchemy import select

from app import clock
from app.accounts.models import District, Office, Organisation, OutcomeTarget
from app.accounts.sectors import SECTORS
from app.agreements.models import Agreement, AgreementQuery, AgreementStatus, AgreementVersion
from app.auth.models import User
from app.callbacks.models import CallBack, CallBackStatus
from app.customers.models import Customer
from app.extensions import db
from app.guarantees.models import Guarantee
from app.guarantees.rules import Outcome
from app.models_base import utcnow
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.pet.models import (
    Course,
    CourseEmployer,
    CourseEmployerStatus,
    CourseReferral,
    CourseStatus,
)
from app.referrals.models import NotSelectedReason, Referral, ReferralStatus
from app.reports.figures import (
    AGES,
    BY_NAME,
    COURSE_MODELS,
    FIGURES,
    NEW_TO_LEPS,
    PRIORITY_GROUPS,
    SIZE_BANDS,
    SOURCES,
)
from app.vacancies.models import Vacancy, VacancyStatus
from app.vouchers.models import Voucher, VoucherStatus
from tests.helpers import sign_in
from tests.report_factories import BEFORE, MONTH, MONTH_ARGS, mi_world

NOT_RECORDED = "Not recorded"


def _all(model) -> list:
    return list(db.session.scalars(select(model)))


def _in(period, day: dt.date | None) -> bool:
    return day is not None and period.first <= day <= period.last


def _moment_in(period, moment: dt.datetime | None) -> bool:
    start, end = period.moments()
    return moment is not None and start <= moment < end


def _pct(part: int, whole: int) -> str:
    return "" if whole == 0 else str((200 * part + whole) // (2 * whole))


class Raw:
    """The world's rows, loaded plainly, and the filters the figures are asked for."""

    def __init__(self, district_ids: set | None = None, office_id=None) -> None:
        self.district_ids = district_ids
        self.office_id = office_id
        self.districts = {d.id: d for d in _all(District)}
        self.offices = {o.id: o for o in _all(Office)}
        self.organisations = {o.id: o for o in _all(Organisation)}
        self.customers = {c.id: c for c in _all(Customer)}
        self.users = {u.id: u for u in _all(User)}
        self.agreements = _all(Agreement)
        self.outcomes = _all(JobOutcome)
        self.checks = _all(SustainmentCheck)
        self.referrals = _all(Referral)
        self.callbacks = _all(CallBack)
        self.vacancies = _all(Vacancy)
        self.courses = {c.id: c for c in _all(Course)}
        self.trainees = _all(CourseReferral)
        self.course_employers = _all(CourseEmployer)
        self.targets = _all(OutcomeTarget)
        self.guarantees = _all(Guarantee)

    def district_ok(self, district_id) -> bool:
        return self.district_ids is None or district_id in self.district_ids

    def customer_ok(self, customer_id) -> bool:
        return self.office_id is None or self.customers[customer_id].office_id == self.office_id

    def outcome_ok(self, outcome) -> bool:
        return self.district_ok(outcome.district_id) and self.customer_ok(outcome.customer_id)

    def name(self, district_id) -> str:
        return self.districts[district_id].name

    def counted(self, outcome) -> bool:
        return (
            outcome.counts_as_lep
            and outcome.validation_status is not ValidationStatus.REJECTED
            and _in(MONTH, outcome.start_date)
            and self.outcome_ok(outcome)
        )

    def first_agreement(self, organisation_id) -> dt.date | None:
        starts = [a.started_on for a in self.agreements if a.organisation_id == organisation_id]
        return min(starts) if starts else None


def expected(raw: Raw) -> dict[str, dict[str, list[str]]]:
    """For each figure: its table rows, keyed by the row's label, as the CSV writes them."""
    figures: dict[str, dict[str, list[str]]] = {}
    counted = [o for o in raw.outcomes if raw.counted(o)]

    rows = {}
    for district_id, district in raw.districts.items():
        if not raw.district_ok(district_id):
            continue
        target = sum(
            t.outcomes
            for t in raw.targets
            if t.district_id == district_id
            and t.period_start >= MONTH.first
            and t.period_end <= MONTH.last
        )
        mine = [o for o in counted if o.district_id == district_id]
        validated = sum(o.validation_status is ValidationStatus.VALIDATED for o in mine)
        rows[district.name] = [str(target), str(len(mine)), str(validated), _pct(len(mine), target)]
    figures["outcomes-against-target"] = rows

    def split(key, labels) -> dict[str, list[str]]:
        counts = Counter(key(o) for o in counted)
        return {str(labels[k]): [str(n)] for k, n in counts.items()}

    figures["outcomes-by-priority-group"] = split(
        lambda o: (
            "a_pg1_2"
            if o.priority_group in (1, 2)
            else ("b_newly_unemployed" if o.priority_group == 3 else "c_others")
        ),
        PRIORITY_GROUPS,
    )
    figures["outcomes-by-sector"] = split(
        lambda o: raw.organisations[o.organisation_id].sector, SECTORS
    )
    figures["outcomes-by-employer-size"] = split(
        lambda o: raw.organisations[o.organisation_id].size_band.value, SIZE_BANDS
    )
    figures["outcomes-by-new-employer"] = split(
        lambda o: "a_new" if _in(MONTH, raw.first_agreement(o.organisation_id)) else "b_existing",
        NEW_TO_LEPS,
    )
    figures["outcomes-by-source"] = split(lambda o: o.source.value, SOURCES)

    signed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for agreement in raw.agreements:
        organisation = raw.organisations[agreement.organisation_id]
        if not raw.district_ok(organisation.district_id) or not _in(MONTH, agreement.started_on):
            continue
        entry = signed[raw.name(organisation.district_id)]
        entry[0] += 1
        entry[1] += raw.first_agreement(organisation.id) >= MONTH.first
    figures["agreements-signed"] = {k: [str(v) for v in vs] for k, vs in signed.items()}

    confirmations: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    queried_versions = {query.version_id for query in _all(AgreementQuery)}
    for version in _all(AgreementVersion):
        organisation = raw.organisations[version.agreement.organisation_id]
        if not raw.district_ok(organisation.district_id):
            continue
        if not _moment_in(MONTH, version.created_at):
            continue
        entry = confirmations[raw.name(organisation.district_id)]
        entry[0] += 1
        entry[1] += version.confirmed_at is not None
        entry[2] += version.id in queried_versions
    figures["agreements-confirmed"] = {
        k: [str(v) for v in vs] + [_pct(vs[1], vs[0])] for k, vs in confirmations.items()
    }

    placements = {
        o.referral_id
        for o in raw.outcomes
        if o.referral_id
        and o.validation_status is not ValidationStatus.REJECTED
        and _in(MONTH, o.start_date)
    }
    measures: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for referral in raw.referrals:
        if not raw.district_ok(referral.district_id):
            continue
        if raw.office_id is not None and referral.office_id != raw.office_id:
            continue
        trial = _in(MONTH, referral.work_trial_start)
        # Held: its time has come and the customer did not withdraw (interview_held).
        interview = (
            referral.guaranteed_interview
            and _moment_in(MONTH, referral.interview_at)
            and referral.interview_at <= utcnow()
            and referral.status is not ReferralStatus.WITHDRAWN
        )
        placed = referral.id in placements
        if trial or interview or placed:
            entry = measures[raw.name(referral.district_id)]
            entry[0] += trial
            entry[1] += bool(interview)
            entry[2] += placed
    figures["measures-delivered"] = {k: [str(v) for v in vs] for k, vs in measures.items()}

    timely: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for callback in raw.callbacks:
        if (
            callback.status is not CallBackStatus.COMPLETED
            or not _moment_in(MONTH, callback.completed_at)
            or not raw.district_ok(callback.district_id)
            or (raw.office_id is not None and callback.office_id != raw.office_id)
        ):
            continue
        office = raw.offices[callback.office_id].name if callback.office_id else NOT_RECORDED
        timely[office][0] += 1
        timely[office][1] += callback.breached is False
    figures["call-back-timeliness"] = {
        k: [str(c), str(t), _pct(t, c)] for k, (c, t) in timely.items()
    }

    pet: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
    for trainee in raw.trainees:
        course = raw.courses[trainee.course_id]
        if (
            not _moment_in(MONTH, trainee.created_at)
            or not raw.district_ok(course.district_id)
            or not raw.customer_ok(trainee.customer_id)
        ):
            continue
        entry = pet[str(SECTORS[course.sector])]
        entry[0] += 1
        entry[1] += trainee.started_on is not None
        entry[2] += trainee.completed_on is not None
        entry[3] += trainee.interview_at is not None
        entry[4] += trainee.hired
    figures["pet-conversion"] = {k: [str(v) for v in vs] for k, vs in pet.items()}

    # PET courses that started in the month, not cancelled: each course once, however many
    # employers share it; the employers that joined and the interviews they offer.
    courses: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for course in raw.courses.values():
        if (
            not _in(MONTH, course.start_date)
            or course.status is CourseStatus.CANCELLED
            or not raw.district_ok(course.district_id)
        ):
            continue
        joined = [
            e
            for e in raw.course_employers
            if e.course_id == course.id and e.status is CourseEmployerStatus.JOINED
        ]
        entry = courses[str(COURSE_MODELS[course.model.value])]
        entry[0] += 1
        entry[1] += course.places
        entry[2] += len(joined)
        entry[3] += sum(e.guaranteed_interviews or 0 for e in joined)
    figures["pet-courses"] = {k: [str(v) for v in vs] for k, vs in courses.items()}

    # Hires from PET starting in the month, not rejected, each for the employer that hired.
    trainees_by_id = {t.id: t for t in raw.trainees}
    hires: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in raw.outcomes:
        if (
            outcome.course_referral_id is None
            or outcome.validation_status is ValidationStatus.REJECTED
            or not _in(MONTH, outcome.start_date)
            or not raw.outcome_ok(outcome)
        ):
            continue
        model = raw.courses[trainees_by_id[outcome.course_referral_id].course_id].model
        employer = raw.organisations[outcome.organisation_id].name
        label = f"{employer}, {raw.name(outcome.district_id)}, {COURSE_MODELS[model.value]}"
        hires[label][0] += 1
        hires[label][1] += outcome.counts_as_lep
    figures["pet-outcomes-by-employer"] = {k: [str(v) for v in vs] for k, vs in hires.items()}

    outcomes_by_id = {o.id: o for o in raw.outcomes}
    sustained: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for check in raw.checks:
        outcome = outcomes_by_id[check.outcome_id]
        if (
            not _in(MONTH, check.due_on)
            or outcome.validation_status is ValidationStatus.REJECTED
            or not raw.outcome_ok(outcome)
        ):
            continue
        entry = sustained[check.weeks]
        entry[0] += 1
        entry[1] += check.answered_at is not None
        entry[2] += check.still_employed is True
    moved: dict[str, list[int]] = defaultdict(lambda: [0] * 8)
    for check in raw.checks:
        outcome = outcomes_by_id[check.outcome_id]
        if (
            not _in(MONTH, check.due_on)
            or outcome.validation_status is ValidationStatus.REJECTED
            or not raw.outcome_ok(outcome)
        ):
            continue
        office_id = raw.customers[outcome.customer_id].office_id
        office = raw.offices[office_id].name if office_id else NOT_RECORDED
        entry = moved[f"{raw.name(outcome.district_id)}, {office}"]
        flags = (check.more_hours is True, check.higher_pay is True, check.new_role is True)
        for position, hit in enumerate(
            (
                True,
                check.answered_at is not None,
                check.still_employed is True,
                any(flags),
                *flags,
                check.aftercare_wanted is True,
            )
        ):
            entry[position] += hit
    figures["progression-and-aftercare"] = {
        k: [str(v) for v in vs] + [_pct(vs[3], vs[2])] for k, vs in moved.items()
    }
    figures["sustainment"] = {
        f"{weeks} weeks": [str(d), str(a), str(s), _pct(s, a)]
        for weeks, (d, a, s) in sustained.items()
    }

    def quality(name_of) -> dict[str, list[str]]:
        found: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for referral in raw.referrals:
            if (
                referral.suitability is None
                or not _moment_in(MONTH, referral.rated_at)
                or not raw.district_ok(referral.district_id)
                or (raw.office_id is not None and referral.office_id != raw.office_id)
            ):
                continue
            entry = found[name_of(referral)]
            entry[0] += 1
            entry[1] += referral.suitability >= 3
            entry[2] += referral.suitability
        return {
            k: [str(r), str(s), str(t), _pct(s, r), f"{round(t / r + 1e-9, 1):.1f}"]
            for k, (r, s, t) in found.items()
        }

    figures["referral-quality-by-adviser"] = quality(lambda r: raw.users[r.referred_by_id].name)
    figures["referral-quality-by-office"] = quality(
        lambda r: raw.offices[r.office_id].name if r.office_id else NOT_RECORDED
    )

    def not_selected(name_of) -> dict[str, list[str]]:
        reasons = list(NotSelectedReason)
        found: dict[str, list[int]] = defaultdict(lambda: [0] * (len(reasons) + 1))
        for referral in raw.referrals:
            if (
                not _moment_in(MONTH, referral.not_selected_at)
                or not raw.district_ok(referral.district_id)
                or (raw.office_id is not None and referral.office_id != raw.office_id)
            ):
                continue
            entry = found[name_of(referral)]
            if referral.not_selected_code is not None:
                entry[reasons.index(referral.not_selected_code)] += 1
            entry[-1] += 1
        return {k: [str(v) for v in vs] for k, vs in found.items()}

    figures["not-selected-by-adviser"] = not_selected(lambda r: raw.users[r.referred_by_id].name)
    figures["not-selected-by-office"] = not_selected(
        lambda r: raw.offices[r.office_id].name if r.office_id else NOT_RECORDED
    )

    subsidy = Counter(
        raw.name(o.district_id)
        for o in raw.outcomes
        if o.subsidy_eligible
        and o.validation_status is not ValidationStatus.REJECTED
        and _in(MONTH, o.start_date)
        and raw.outcome_ok(o)
    )
    figures["subsidy-eligible-starts"] = {k: [str(v)] for k, v in subsidy.items()}

    # Vouchers carry no office: the office filter leaves them at district level.
    vouchers: dict[str, list[int]] = defaultdict(lambda: [0] * 8)
    for voucher in _all(Voucher):
        if not raw.district_ok(voucher.district_id):
            continue
        steps = (
            _moment_in(MONTH, voucher.issued_at),
            _moment_in(MONTH, voucher.claimed_at),
            _moment_in(MONTH, voucher.decided_at)
            and voucher.status in (VoucherStatus.APPROVED, VoucherStatus.PAID),
            _moment_in(MONTH, voucher.paid_at),
        )
        if not any(steps):
            continue
        entry = vouchers[raw.name(voucher.district_id)]
        for step, happened in enumerate(steps):
            if happened:
                entry[2 * step] += 1
                entry[2 * step + 1] += int(voucher.amount)
    figures["recruitment-subsidy-vouchers"] = {
        k: [str(v) for v in vs] for k, vs in vouchers.items()
    }

    now = utcnow()
    waiting: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for outcome in raw.outcomes:
        if outcome.validation_status not in (
            ValidationStatus.AWAITING_EMPLOYER,
            ValidationStatus.DISPUTED,
        ) or not raw.outcome_ok(outcome):
            continue
        days = (now - outcome.created_at).days
        band = (
            "a_under_7"
            if days < 7
            else "b_7_to_13"
            if days < 14
            else "c_14_to_27"
            if days < 28
            else "d_28_plus"
        )
        entry = waiting[str(AGES[band])]
        entry[0] += outcome.validation_status is ValidationStatus.AWAITING_EMPLOYER
        entry[1] += outcome.validation_status is ValidationStatus.DISPUTED
        entry[2] += 1
    figures["waiting-for-validation"] = {k: [str(v) for v in vs] for k, vs in waiting.items()}

    vacancies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for vacancy in raw.vacancies:
        if vacancy.status is VacancyStatus.DRAFT or not raw.district_ok(vacancy.district_id):
            continue
        posted = vacancy.submitted_at or vacancy.created_at
        entry = vacancies[f"{SECTORS[vacancy.sector]}, {raw.name(vacancy.district_id)}"]
        entry[0] += vacancy.status is VacancyStatus.LIVE
        entry[1] += _moment_in(MONTH, posted)
        entry[2] += _moment_in(BEFORE, posted)
    figures["sector-vacancies"] = {k: [str(v) for v in vs] for k, vs in vacancies.items()}

    employers: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for organisation in raw.organisations.values():
        if not raw.district_ok(organisation.district_id):
            continue
        has = any(
            a.organisation_id == organisation.id
            and a.status is AgreementStatus.ACTIVE
            and a.started_on <= MONTH.last
            for a in raw.agreements
        )
        entry = employers[f"{SECTORS[organisation.sector]}, {raw.name(organisation.district_id)}"]
        entry[0 if has else 1] += 1
    figures["sector-employers"] = {k: [str(v) for v in vs] for k, vs in employers.items()}

    by_sector = Counter(
        f"{SECTORS[raw.organisations[o.organisation_id].sector]}, {raw.name(o.district_id)}"
        for o in counted
    )
    figures["sector-outcomes"] = {k: [str(v)] for k, v in by_sector.items()}

    # Guaranteed interviews that fell due in the month: kept, not offered, or overdue (no
    # answer and past their day); those still in time are not counted.
    today = clock.today()
    for name, key in (
        ("guarantees-by-district", lambda g: raw.name(g.district_id)),
        (
            "guarantees-by-sector",
            lambda g: str(SECTORS[raw.organisations[g.organisation_id].sector]),
        ),
        (
            "guarantees-by-size",
            lambda g: str(SIZE_BANDS[raw.organisations[g.organisation_id].size_band.value]),
        ),
    ):
        kept_rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for guarantee in raw.guarantees:
            if not _in(MONTH, guarantee.due_on) or not raw.district_ok(guarantee.district_id):
                continue
            if guarantee.outcome is None and guarantee.due_on >= today:
                continue
            entry = kept_rows[key(guarantee)]
            entry[0] += 1
            entry[1] += guarantee.outcome is Outcome.INTERVIEWED
            entry[2] += guarantee.outcome is Outcome.NOT_OFFERED
            entry[3] += guarantee.outcome is None
        figures[name] = {
            k: [*(str(v) for v in vs), _pct(vs[1], vs[0])] for k, vs in kept_rows.items()
        }
    return figures


def _download(client, name: str, args: str) -> tuple[dict[str, list[str]], list[str] | None]:
    response = client.get(f"/reports/{name}.csv?{args}")
    assert response.status_code == 200, name
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    figure = BY_NAME[name]
    assert lines[0] == [str(column.label) for column in figure.columns]
    body = lines[1:]
    totals = None
    if body and body[-1][0] == "Total":
        totals = body.pop()
    labels = len(figure.text_columns)
    rows = {", ".join(line[:labels]): line[labels:] for line in body}
    assert len(rows) == len(body), f"{name}: two rows with one label"
    return rows, totals


def _check_every_figure(client, raw: Raw, args: str) -> int:
    wanted = expected(raw)
    checked = 0
    for figure in FIGURES:
        rows, totals = _download(client, figure.name, args)
        assert rows == wanted[figure.name], figure.name
        number_columns = figure.number_columns
        if rows:
            assert totals is not None, f"{figure.name}: no totals row"
            for position, column in enumerate(number_columns):
                cell = totals[len(figure.text_columns) + position]
                if column.total:
                    # The CSV total equals the raw count added up in the test.
                    assert cell == str(sum(int(r[position]) for r in wanted[figure.name].values()))
        checked += 1
    return checked


@pytest.fixture
def world():
    return mi_world(scale=1)


def test_every_figure_and_csv_total_matches_the_raw_rows_for_an_admin(client, world):
    sign_in(client, world.admin)
    assert any(expected(Raw()).values()), "the world has rows to count"
    assert _check_every_figure(client, Raw(), MONTH_ARGS) == len(FIGURES)


def test_a_coordinator_sees_their_own_district_by_default(client, world):
    sign_in(client, world.coordinator)
    raw = Raw(district_ids={world.districts[0].id})
    _check_every_figure(client, raw, MONTH_ARGS)


def test_a_dam_can_narrow_to_an_office_of_their_district(client, world):
    sign_in(client, world.dam)
    office = world.offices[1]
    raw = Raw(district_ids={world.districts[0].id}, office_id=office.id)
    _check_every_figure(client, raw, f"{MONTH_ARGS}&office={office.id}")


def test_an_admin_can_narrow_to_a_nation(client, world):
    sign_in(client, world.admin)
    wales = {d.id for d in world.districts if d.nation_code == "wales"}
    _check_every_figure(client, Raw(district_ids=wales), f"{MONTH_ARGS}&nation=wales")


def test_an_admin_can_narrow_to_a_district(client, world):
    sign_in(client, world.admin)
    district = world.districts[1]
    raw = Raw(district_ids={district.id})
    _check_every_figure(client, raw, f"{MONTH_ARGS}&district={district.id}")


def test_outcome_targets_within_the_period_add_up(client, world):
    sign_in(client, world.admin)
    quarter = "period=quarter&start=15&start=3&start=2026"
    rows, totals = _download(client, "outcomes-against-target", quarter)
    first = rows[world.districts[0].name]
    # January has no target; February and March do; the one running into April is left out.
    assert int(first[0]) == sum(
        t.outcomes
        for t in _all(OutcomeTarget)
        if t.district_id == world.districts[0].id and t.period_end <= dt.date(2026, 3, 31)
    )
    assert totals[1] == str(sum(int(row[0]) for row in rows.values()))


def test_the_world_has_confirmed_queried_and_unanswered_agreements_to_count(world):
    rows = expected(Raw())["agreements-confirmed"].values()
    sent, confirmed, queried = (sum(int(row[i]) for row in rows) for i in range(3))
    assert 0 < confirmed < sent
    assert 0 < queried < sent


def test_the_world_has_candidates_not_selected_for_several_reasons(world):
    rows = expected(Raw())["not-selected-by-office"].values()
    by_reason = [sum(int(row[i]) for row in rows) for i in range(len(NotSelectedReason) + 1)]
    assert sum(1 for count in by_reason[:-1] if count) >= 4, by_reason


def test_the_world_has_progression_and_aftercare_to_count(world):
    rows = expected(Raw())["progression-and-aftercare"].values()
    totals = [sum(int(row[i]) for row in rows) for i in range(8)]
    assert all(totals), totals


def test_the_world_has_vouchers_at_every_step_in_the_month(world):
    from app.reports.queries import Scope

    rows = BY_NAME["recruitment-subsidy-vouchers"].table(Scope(period=MONTH)).rows
    for step in ("issued", "claimed", "approved", "paid"):
        assert sum(row[step] for row in rows) > 0, step
        assert sum(row[f"{step}_amount"] for row in rows) == 1000 * sum(row[step] for row in rows)

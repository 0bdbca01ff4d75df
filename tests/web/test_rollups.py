"""The MI rollups against live counts: random sequences of the writes they depend on, with
refreshes in between, leave every rollup equal to the same count taken from the records.

Hypothesis draws the sequences; each example runs in a savepoint that is rolled back. On
PostgreSQL too with TEST_DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import example
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from app.accounts.models import ContactKind, ContactLogEntry, SizeBand
from app.agreements.models import Agreement, AgreementQuery, AgreementVersion, Channel
from app.callbacks.models import CallBack, CallBackStatus
from app.extensions import db
from app.guarantees.models import Guarantee
from app.guarantees.rules import NotOfferedReason, Outcome, Source
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.pet.models import (
    Course,
    CourseEmployer,
    CourseEmployerStatus,
    CourseModel,
    CourseReferral,
    CourseStatus,
    TraineeStatus,
)
from app.referrals.models import Referral, ReferralStatus
from app.reports import rollups
from app.reports.models import RollupCount, RollupDirty, RollupState
from app.reports.rollup_parts import Rollup
from app.vouchers.models import Voucher, VoucherStatus
from tests.factories import DistrictFactory, OfficeFactory, OrganisationFactory
from tests.helpers import sequences_of
from tests.outcome_factories import customer_in, staff_in
from tests.pet_factories import CourseFactory
from tests.rollup_checks import assert_rollups_match_live_counts
from tests.vacancy_factories import LiveVacancyFactory

DAY = dt.date(2026, 3, 1)
OUTCOMES, CUSTOMERS, ORGANISATIONS, OFFICES = 4, 2, 2, 3

# Days from DAY (1 March 2026): the first days of March, and either side of each month's end.
days = st.sampled_from([-1, 0, 1, 2, 3, 4, 30, 31])
outcome = st.integers(min_value=0, max_value=OUTCOMES - 1)
maybe = st.sampled_from([None, True, False])
statuses = st.sampled_from(list(ValidationStatus))
guarantee = st.integers(min_value=0, max_value=2)
# Moments either side of UK midnight, in GMT and in British Summer Time (from 29 March 2026).
MOMENTS = (
    dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 30, 12, 0, tzinfo=dt.UTC),
    # Month ends: 28 February in the UK (GMT); 31 March and 1 April (BST).
    dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC),
)
moments = st.sampled_from(MOMENTS)
voucher_steps = st.sampled_from(
    [
        ("claimed_at", VoucherStatus.CLAIMED),
        ("decided_at", VoucherStatus.APPROVED),
        ("decided_at", VoucherStatus.REJECTED),
        ("paid_at", VoucherStatus.PAID),
    ]
)

maybe_moment = st.one_of(st.none(), moments)
referral_index = st.integers(min_value=0, max_value=3)
referral_statuses = st.sampled_from(
    [ReferralStatus.REFERRED, ReferralStatus.INTERVIEW_ARRANGED, ReferralStatus.WITHDRAWN]
)

# The employer's rollups: referrals made, interviewed (moved, withdrawn, by the object or a
# compare-and-set) and given work trials; call-backs completed; visits and calls logged.
EMPLOYER_WRITES = st.one_of(
    st.tuples(
        st.just("add_referral"),
        st.integers(0, ORGANISATIONS - 1),
        st.integers(0, CUSTOMERS - 1),
        moments,
        maybe_moment,
        st.one_of(st.none(), days),
        st.booleans(),
    ),
    st.tuples(st.just("interview_referral"), referral_index, maybe_moment, referral_statuses),
    st.tuples(st.just("set_referral"), referral_index, maybe_moment, referral_statuses),
    st.tuples(st.just("trial_referral"), referral_index, st.one_of(st.none(), days)),
    st.tuples(st.just("delete_referral"), referral_index),
    st.tuples(st.just("complete_callback"), st.integers(0, ORGANISATIONS - 1), moments, maybe),
    st.tuples(st.just("set_callback"), st.integers(0, ORGANISATIONS - 1), moments),
    st.tuples(
        st.just("add_contact"),
        st.integers(0, ORGANISATIONS - 1),
        st.sampled_from(list(ContactKind)),
        days,
    ),
    st.tuples(st.just("move_contact"), referral_index, days),
)

WRITES = st.one_of(
    EMPLOYER_WRITES,
    st.tuples(
        st.just("add_outcome"),
        st.integers(0, ORGANISATIONS - 1),
        st.integers(0, CUSTOMERS - 1),
        days,
        st.booleans(),
        st.booleans(),
        statuses,
        st.integers(1, 5),
    ),
    st.tuples(st.just("status"), outcome, statuses),
    # A compare-and-set UPDATE through the session, as outcomes.services does.
    st.tuples(st.just("set_status"), outcome, statuses),
    st.tuples(st.just("set_answer"), outcome, st.sampled_from([13, 26]), maybe),
    st.tuples(st.just("move_start"), outcome, days),
    st.tuples(st.just("move_customer"), st.integers(0, CUSTOMERS - 1), st.integers(0, OFFICES)),
    st.tuples(
        st.just("resector"),
        st.integers(0, ORGANISATIONS - 1),
        st.sampled_from(["retail", "care", "hospitality"]),
        st.sampled_from(list(SizeBand)),
    ),
    st.tuples(st.just("add_check"), outcome, st.sampled_from([13, 26]), days),
    st.tuples(st.just("answer"), outcome, st.sampled_from([13, 26]), maybe, maybe, maybe),
    st.tuples(st.just("move_due"), outcome, st.sampled_from([13, 26]), days),
    st.tuples(st.just("delete_check"), outcome, st.sampled_from([13, 26])),
    st.tuples(st.just("delete_outcome"), outcome),
    # Guaranteed interviews: opened, answered on the object or by a compare-and-set (as
    # guarantees.services keeps them), moved, chased (no count changes) and deleted.
    st.tuples(
        st.just("add_guarantee"),
        st.integers(0, ORGANISATIONS - 1),
        st.integers(0, CUSTOMERS - 1),
        days,
        st.sampled_from([None, *Outcome]),
    ),
    st.tuples(st.just("answer_guarantee"), guarantee, st.sampled_from([None, *Outcome])),
    st.tuples(st.just("keep_guarantee"), guarantee),
    st.tuples(st.just("move_guarantee"), guarantee, days),
    st.tuples(st.just("chase_guarantee"), guarantee),
    st.tuples(st.just("delete_guarantee"), guarantee),
    # Recruitment subsidy vouchers: issued on an outcome, a step taken on the object or by a
    # compare-and-set UPDATE (as vouchers.services does), deleted.
    st.tuples(st.just("issue_voucher"), outcome, moments),
    st.tuples(st.just("step_voucher"), outcome, voucher_steps, moments),
    st.tuples(st.just("set_voucher"), outcome, voucher_steps, moments),
    st.tuples(st.just("delete_voucher"), outcome),
    st.tuples(st.just("refresh")),
    st.tuples(st.just("refresh")),
)


# PET: courses starting (moved, cancelled), their employers invited, joining by a
# compare-and-set or on the object, and hires from them for each employer; a rename.
PET_WRITES = st.one_of(
    st.tuples(st.just("add_course_pet"), st.integers(0, 1), days, st.booleans()),
    st.tuples(st.just("move_course_pet"), st.integers(0, 2), days),
    st.tuples(st.just("cancel_course_pet"), st.integers(0, 2)),
    st.tuples(
        st.just("add_employer_pet"),
        st.integers(0, 2),
        st.integers(0, ORGANISATIONS - 1),
        st.sampled_from(list(CourseEmployerStatus)),
        st.integers(1, 6),
    ),
    st.tuples(st.just("join_employer_pet"), st.integers(0, 3), st.integers(1, 6)),
    st.tuples(
        st.just("set_employer_pet"), st.integers(0, 3), st.sampled_from(list(CourseEmployerStatus))
    ),
    st.tuples(st.just("delete_employer_pet"), st.integers(0, 3)),
    st.tuples(
        st.just("hire_pet"),
        st.integers(0, ORGANISATIONS - 1),
        st.integers(0, CUSTOMERS - 1),
        days,
        st.booleans(),
        statuses,
    ),
    st.tuples(
        st.just("rename_pet"), st.integers(0, ORGANISATIONS - 1), st.sampled_from(["A|B", "Z"])
    ),
)
WRITES = st.one_of(WRITES, PET_WRITES)

version_index = st.integers(min_value=0, max_value=2)
# Agreements confirmed: versions recorded (either side of UK midnight), confirmed on the
# object or by a compare-and-set, queried and the query withdrawn, the employer moved to
# another district. Measures delivered: a start recorded against a referral (or unlinked),
# the referral's office changed.
MEASURE_WRITES = st.one_of(
    st.tuples(st.just("add_version"), st.integers(0, ORGANISATIONS - 1), moments, maybe_moment),
    st.tuples(st.just("confirm_version"), version_index, maybe_moment),
    st.tuples(st.just("set_version"), version_index, maybe_moment),
    st.tuples(st.just("query_version"), version_index),
    st.tuples(st.just("unquery_version"), version_index),
    st.tuples(st.just("redistrict_version"), st.integers(0, ORGANISATIONS - 1), st.integers(0, 1)),
    st.tuples(st.just("place_measure"), outcome, st.one_of(st.none(), referral_index)),
    st.tuples(st.just("office_measure"), referral_index, st.integers(0, OFFICES)),
)
WRITES = st.one_of(WRITES, MEASURE_WRITES)


class World:
    def __init__(self) -> None:
        first, second = DistrictFactory(), DistrictFactory()
        self.offices = [
            OfficeFactory(district=first),
            OfficeFactory(district=first),
            OfficeFactory(district=second),
            None,
        ]
        self.customers = [customer_in(first), customer_in(second)]
        self.organisations = [OrganisationFactory(district=first), OrganisationFactory()]
        self.staff = staff_in(first)
        # A vacancy per organisation: referrals to it, and its one call-back.
        self.vacancies = [LiveVacancyFactory(organisation=o) for o in self.organisations]
        db.session.flush()
        self.districts = [first, second]
        # A course of each district with each customer on it, to hire from.
        self.trainees = []
        for district, customer in zip(self.districts, self.customers, strict=True):
            course = CourseFactory(district=district, employers=[], start_date=None)
            trainee = CourseReferral(
                course=course,
                customer=customer,
                referred_by_id=self.staff.id,
                status=TraineeStatus.COMPLETED,
            )
            db.session.add(trainee)
            self.trainees.append(trainee)
        db.session.flush()


def _outcomes() -> list[JobOutcome]:
    return list(db.session.scalars(select(JobOutcome).order_by(JobOutcome.created_at)))


def _check(index: int, weeks: int) -> SustainmentCheck | None:
    found = _outcomes()
    if index >= len(found):
        return None
    return db.session.scalar(
        select(SustainmentCheck).where(
            SustainmentCheck.outcome_id == found[index].id, SustainmentCheck.weeks == weeks
        )
    )


def _guarantee(index: int) -> Guarantee | None:
    found = list(db.session.scalars(select(Guarantee).order_by(Guarantee.created_at, Guarantee.id)))
    return found[index] if index < len(found) else None


def _answer(guarantee: Guarantee, outcome: Outcome | None) -> None:
    guarantee.outcome = outcome
    guarantee.reason = NotOfferedReason.OTHER if outcome is Outcome.NOT_OFFERED else None
    guarantee.answered_at = None if outcome is None else dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def _apply_guarantee(world: World, kind: str, args: list) -> None:
    if kind == "add_guarantee":
        organisation_index, customer_index, offset, outcome = args
        organisation = world.organisations[organisation_index]
        added = Guarantee(
            source=Source.REFERRAL,
            organisation_id=organisation.id,
            district_id=organisation.district_id,
            customer_id=world.customers[customer_index].id,
            opened_on=DAY,
            due_on=DAY + dt.timedelta(days=offset),
        )
        _answer(added, outcome)
        db.session.add(added)
        return
    found = _guarantee(args[0])
    if found is None:
        return
    if kind == "answer_guarantee":
        _answer(found, args[1])
    elif kind == "keep_guarantee":
        db.session.execute(
            update(Guarantee)
            .where(Guarantee.id == found.id, Guarantee.outcome.is_(None))
            .values(outcome=Outcome.INTERVIEWED)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(found)
    elif kind == "move_guarantee":
        found.due_on = DAY + dt.timedelta(days=args[1])
    elif kind == "chase_guarantee":
        db.session.execute(
            update(Guarantee)
            .where(Guarantee.id == found.id)
            .values(chased_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC))
            .execution_options(synchronize_session=False)
        )
        db.session.expire(found)
    elif kind == "delete_guarantee":
        db.session.delete(found)


def _apply_voucher(kind: str, args: list) -> None:
    found = _outcomes()
    if args[0] >= len(found):
        return
    outcome = found[args[0]]
    voucher = db.session.scalar(select(Voucher).where(Voucher.outcome_id == outcome.id))
    if kind == "issue_voucher":
        if voucher is None:
            db.session.add(
                Voucher(
                    outcome_id=outcome.id,
                    organisation_id=outcome.organisation_id,
                    district_id=outcome.district_id,
                    amount=Decimal("1000.00"),
                    status=VoucherStatus.ISSUED,
                    issued_at=args[1],
                    claimable_from=DAY,
                )
            )
        return
    if voucher is None:
        return
    if kind == "step_voucher":
        (column, status), moment = args[1:]
        db.session.execute(
            update(Voucher)
            .where(Voucher.id == voucher.id, Voucher.status != status)
            .values(status=status, **{column: moment})
            .execution_options(synchronize_session=False)
        )
        db.session.expire(voucher)
    elif kind == "set_voucher":
        (column, status), moment = args[1:]
        voucher.status = status
        setattr(voucher, column, moment)
    elif kind == "delete_voucher":
        db.session.delete(voucher)


def _courses() -> list[Course]:
    return list(db.session.scalars(select(Course).order_by(Course.created_at, Course.id)))


def _course_employers() -> list[CourseEmployer]:
    return list(db.session.scalars(select(CourseEmployer).order_by(CourseEmployer.id)))


def _apply_pet(world: World, kind: str, args: list) -> None:
    courses, places = _courses(), _course_employers()
    if kind == "add_course_pet":
        district, offset, sector = args
        CourseFactory(
            district=world.districts[district],
            model=CourseModel.SECTOR if sector else CourseModel.BESPOKE,
            employers=[],
            start_date=DAY + dt.timedelta(days=offset),
        )
    elif kind == "move_course_pet" and args[0] < len(courses):
        courses[args[0]].start_date = DAY + dt.timedelta(days=args[1])
    elif kind == "cancel_course_pet" and args[0] < len(courses):
        courses[args[0]].status = CourseStatus.CANCELLED
    elif kind == "add_employer_pet" and args[0] < len(courses):
        course, organisation = courses[args[0]], world.organisations[args[1]]
        if not any(
            p.course_id == course.id and p.organisation_id == organisation.id for p in places
        ):
            db.session.add(
                CourseEmployer(
                    course_id=course.id,
                    organisation_id=organisation.id,
                    status=args[2],
                    guaranteed_interviews=args[3],
                )
            )
    elif kind == "join_employer_pet" and args[0] < len(places):
        # A compare-and-set UPDATE, as app.pet.employers.services answers an invitation.
        db.session.execute(
            update(CourseEmployer)
            .where(
                CourseEmployer.id == places[args[0]].id,
                CourseEmployer.status == CourseEmployerStatus.INVITED,
            )
            .values(status=CourseEmployerStatus.JOINED, guaranteed_interviews=args[1])
            .execution_options(synchronize_session=False)
        )
        db.session.expire(places[args[0]])
    elif kind == "set_employer_pet" and args[0] < len(places):
        places[args[0]].status = args[1]
    elif kind == "delete_employer_pet" and args[0] < len(places):
        db.session.delete(places[args[0]])
    elif kind == "hire_pet":
        organisation_index, customer_index, offset, lep, status = args
        organisation, trainee = (
            world.organisations[organisation_index],
            world.trainees[customer_index],
        )
        hired = select(JobOutcome.id).where(JobOutcome.course_referral_id == trainee.id)
        if db.session.scalar(hired) is not None:
            return  # one start per trainee
        db.session.add(
            JobOutcome(
                customer_id=trainee.customer_id,
                course_referral_id=trainee.id,
                organisation_id=organisation.id,
                district_id=organisation.district_id,
                start_date=DAY + dt.timedelta(days=offset),
                hours_per_week=Decimal("30"),
                hourly_pay=Decimal("12.00"),
                priority_group=2,
                lep_eligible=lep,
                counts_as_lep=lep,
                subsidy_eligible=False,
                recorded_by_id=world.staff.id,
                recorded_by_employer=True,
                validation_status=status,
            )
        )
    elif kind == "rename_pet":
        world.organisations[args[0]].name = args[1]


def _referral(index: int) -> Referral | None:
    found = list(db.session.scalars(select(Referral).order_by(Referral.created_at, Referral.id)))
    return found[index] if index < len(found) else None


def _apply_employer(world: World, kind: str, args: list) -> None:
    if kind == "add_referral":
        organisation, customer, made, interview, trial, guaranteed = args
        vacancy = world.vacancies[organisation]
        customer_id = world.customers[customer].id
        taken = select(Referral.id).where(
            Referral.vacancy_id == vacancy.id, Referral.customer_id == customer_id
        )
        if db.session.scalar(taken) is None:
            db.session.add(
                Referral(
                    customer_id=customer_id,
                    vacancy_id=vacancy.id,
                    organisation_id=vacancy.organisation_id,
                    district_id=vacancy.district_id,
                    referred_by_id=world.staff.id,
                    created_at=made,
                    interview_at=interview,
                    work_trial_start=None if trial is None else DAY + dt.timedelta(days=trial),
                    guaranteed_interview=guaranteed,
                )
            )
    elif kind in ("interview_referral", "set_referral", "trial_referral", "delete_referral"):
        found = _referral(args[0])
        if found is None:
            return
        if kind == "interview_referral":
            found.interview_at, found.status = args[1], args[2]
        elif kind == "set_referral":
            # A compare-and-set, as the referral services move a status.
            db.session.execute(
                update(Referral)
                .where(Referral.id == found.id, Referral.status != args[2])
                .values(status=args[2], interview_at=args[1])
                .execution_options(synchronize_session=False)
            )
            db.session.expire(found)
        elif kind == "trial_referral":
            found.work_trial_start = None if args[1] is None else DAY + dt.timedelta(days=args[1])
        else:
            # A start recorded against it is unlinked first (the foreign key).
            for placed in db.session.scalars(
                select(JobOutcome).where(JobOutcome.referral_id == found.id)
            ):
                placed.referral_id = None
            db.session.flush()
            db.session.delete(found)
    elif kind in ("complete_callback", "set_callback"):
        vacancy = world.vacancies[args[0]]
        callback = db.session.scalar(select(CallBack).where(CallBack.vacancy_id == vacancy.id))
        if kind == "complete_callback" and callback is None:
            db.session.add(
                CallBack(
                    vacancy_id=vacancy.id,
                    organisation_id=vacancy.organisation_id,
                    district_id=vacancy.district_id,
                    status=CallBackStatus.COMPLETED,
                    placed_at=args[1] - dt.timedelta(hours=1),
                    due_at=args[1],
                    completed_at=args[1],
                    breached=args[2],
                )
            )
        elif kind == "complete_callback" and callback is not None:
            callback.completed_at, callback.breached = args[1], args[2]
        elif callback is not None:
            db.session.execute(
                update(CallBack)
                .where(CallBack.id == callback.id)
                .values(completed_at=args[1], status=CallBackStatus.COMPLETED)
                .execution_options(synchronize_session=False)
            )
            db.session.expire(callback)
    elif kind == "add_contact":
        organisation, contact_kind, offset = args
        db.session.add(
            ContactLogEntry(
                organisation_id=world.organisations[organisation].id,
                staff_id=world.staff.id,
                kind=contact_kind,
                occurred_on=DAY + dt.timedelta(days=offset),
            )
        )
    elif kind == "move_contact":
        entries = list(db.session.scalars(select(ContactLogEntry).order_by(ContactLogEntry.id)))
        if args[0] < len(entries):
            entries[args[0]].occurred_on = DAY + dt.timedelta(days=args[1])


def _version(index: int) -> AgreementVersion | None:
    found = list(
        db.session.scalars(
            select(AgreementVersion).order_by(AgreementVersion.created_at, AgreementVersion.id)
        )
    )
    return found[index] if index < len(found) else None


def _apply_measure(world: World, kind: str, args: list) -> None:
    if kind == "add_version":
        organisation, made, confirmed = args
        organisation_id = world.organisations[organisation].id
        agreement = db.session.scalar(
            select(Agreement).where(Agreement.organisation_id == organisation_id)
        )
        if agreement is None:
            agreement = Agreement(organisation_id=organisation_id, started_on=DAY)
            db.session.add(agreement)
            db.session.flush()
        number = db.session.scalar(
            select(func.count(AgreementVersion.id)).where(
                AgreementVersion.agreement_id == agreement.id
            )
        )
        db.session.add(
            AgreementVersion(
                agreement_id=agreement.id,
                number=number + 1,
                taken_by_id=world.staff.id,
                agreed_on=DAY,
                channel=Channel.PHONE,
                created_at=made,
                confirmed_at=confirmed,
            )
        )
    elif kind in ("confirm_version", "set_version", "query_version", "unquery_version"):
        version = _version(args[0])
        if version is None:
            return
        if kind == "confirm_version":
            version.confirmed_at = args[1]
        elif kind == "set_version":
            # A compare-and-set, as the employer's confirmation is recorded.
            db.session.execute(
                update(AgreementVersion)
                .where(AgreementVersion.id == version.id, AgreementVersion.confirmed_at.is_(None))
                .values(confirmed_at=args[1])
                .execution_options(synchronize_session=False)
            )
            db.session.expire(version)
        elif kind == "query_version":
            db.session.add(
                AgreementQuery(version_id=version.id, raised_by_id=world.staff.id, message="Wrong")
            )
        else:
            query = db.session.scalar(
                select(AgreementQuery).where(AgreementQuery.version_id == version.id).limit(1)
            )
            if query is not None:
                db.session.delete(query)
    elif kind == "redistrict_version":
        world.organisations[args[0]].district_id = world.districts[args[1]].id
    elif kind == "place_measure":
        found = _outcomes()
        if args[0] >= len(found):
            return
        referral = None if args[1] is None else _referral(args[1])
        taken = referral is not None and db.session.scalar(
            select(JobOutcome.id).where(JobOutcome.referral_id == referral.id)
        )
        if not taken:
            found[args[0]].referral_id = None if referral is None else referral.id
    elif kind == "office_measure":
        found = _referral(args[0])
        office = world.offices[args[1]]
        if found is not None:
            found.office_id = office.id if office else None


def _apply(world: World, write: tuple) -> None:
    kind, *args = write
    if kind.endswith(("_version", "_measure")):
        _apply_measure(world, kind, args)
    elif kind.endswith("_pet"):
        _apply_pet(world, kind, args)
    elif kind.endswith(("_referral", "_callback", "_contact")):
        _apply_employer(world, kind, args)
    elif kind.endswith("_guarantee"):
        _apply_guarantee(world, kind, args)
    elif kind.endswith("_voucher"):
        _apply_voucher(kind, args)
    elif kind == "add_outcome":
        organisation_index, customer_index, offset, lep, subsidy, status, group = args
        organisation = world.organisations[organisation_index]
        db.session.add(
            JobOutcome(
                customer_id=world.customers[customer_index].id,
                organisation_id=organisation.id,
                district_id=organisation.district_id,
                start_date=DAY + dt.timedelta(days=offset),
                hours_per_week=Decimal("30"),
                hourly_pay=Decimal("12.00"),
                priority_group=group,
                lep_eligible=lep,
                counts_as_lep=lep,
                subsidy_eligible=subsidy,
                recorded_by_id=world.staff.id,
                recorded_by_employer=False,
                validation_status=status,
            )
        )
    elif kind == "status":
        found = _outcomes()
        if args[0] < len(found):
            found[args[0]].validation_status = args[1]
    elif kind == "set_status":
        found = _outcomes()
        if args[0] < len(found):
            db.session.execute(
                update(JobOutcome)
                .where(JobOutcome.id == found[args[0]].id)
                .values(validation_status=args[1])
                .execution_options(synchronize_session=False)
            )
            db.session.expire(found[args[0]])
    elif kind == "set_answer":
        check = _check(args[0], args[1])
        if check is not None:
            db.session.execute(
                update(SustainmentCheck)
                .where(SustainmentCheck.id == check.id)
                .values(still_employed=args[2], answered_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC))
                .execution_options(synchronize_session=False)
            )
            db.session.expire(check)
    elif kind == "move_start":
        found = _outcomes()
        if args[0] < len(found):
            found[args[0]].start_date = DAY + dt.timedelta(days=args[1])
    elif kind == "move_customer":
        office = world.offices[args[1]]
        world.customers[args[0]].office_id = office.id if office else None
    elif kind == "resector":
        organisation = world.organisations[args[0]]
        organisation.sector, organisation.size_band = args[1], args[2]
    elif kind == "add_check":
        found = _outcomes()
        if args[0] < len(found) and _check(args[0], args[1]) is None:
            db.session.add(
                SustainmentCheck(
                    outcome_id=found[args[0]].id,
                    weeks=args[1],
                    due_on=DAY + dt.timedelta(days=args[2]),
                )
            )
    elif kind == "answer":
        check = _check(args[0], args[1])
        if check is not None:
            check.answered_at = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
            check.still_employed, check.more_hours, check.aftercare_wanted = args[2:]
    elif kind == "move_due":
        check = _check(args[0], args[1])
        if check is not None:
            check.due_on = DAY + dt.timedelta(days=args[2])
    elif kind == "delete_check":
        check = _check(args[0], args[1])
        if check is not None:
            db.session.delete(check)
    elif kind == "delete_outcome":
        found = _outcomes()
        if args[0] < len(found):
            db.session.execute(
                delete(SustainmentCheck).where(SustainmentCheck.outcome_id == found[args[0]].id)
            )
            _apply_voucher("delete_voucher", [args[0]])
            db.session.flush()
            db.session.delete(found[args[0]])
    elif kind == "refresh":
        rollups.refresh(db.session)
    db.session.flush()


@pytest.mark.usefixtures("app")
def test_every_rollup_equals_a_live_count_after_any_sequence_of_writes():
    world = World()

    @sequences_of(WRITES, examples=120)
    @example(
        [
            ("add_referral", 0, 0, MOMENTS[0], MOMENTS[1], 2, True),
            ("add_referral", 0, 1, MOMENTS[2], None, None, False),
            ("complete_callback", 0, MOMENTS[3], False),
            ("add_contact", 1, ContactKind.VISIT, 3),
            ("refresh",),
            ("set_referral", 0, MOMENTS[4], ReferralStatus.WITHDRAWN),
            ("interview_referral", 1, MOMENTS[0], ReferralStatus.INTERVIEW_ARRANGED),
            ("trial_referral", 1, 4),
            ("set_callback", 0, MOMENTS[1]),
            ("move_contact", 0, 1),
            ("refresh",),
            ("delete_referral", 0),
        ]
    )
    @example(
        [
            ("add_outcome", 0, 0, 1, True, False, ValidationStatus.VALIDATED, 1),
            ("add_check", 0, 13, 2),
            ("refresh",),
            ("move_customer", 0, 2),
            ("resector", 0, "care", SizeBand.LARGE),
            ("refresh",),
            ("set_status", 0, ValidationStatus.REJECTED),
        ]
    )
    @example(
        [
            ("add_outcome", 0, 0, 1, True, False, ValidationStatus.VALIDATED, 1),
            ("add_check", 0, 26, 3),
            ("refresh",),
            ("set_answer", 0, 26, True),
        ]
    )
    @example(
        [
            ("add_guarantee", 0, 0, 1, None),
            ("add_guarantee", 1, 1, 2, Outcome.NOT_OFFERED),
            ("refresh",),
            ("keep_guarantee", 0),
            ("move_customer", 0, 1),
            ("resector", 1, "care", SizeBand.LARGE),
            ("refresh",),
            ("move_guarantee", 1, 4),
        ]
    )
    @example(
        [
            ("add_outcome", 0, 0, 1, True, True, ValidationStatus.VALIDATED, 1),
            ("issue_voucher", 0, dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC)),
            ("refresh",),
            (
                "step_voucher",
                0,
                ("claimed_at", VoucherStatus.CLAIMED),
                dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
            ),
            ("refresh",),
            (
                "set_voucher",
                0,
                ("decided_at", VoucherStatus.APPROVED),
                dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC),
            ),
            (
                "step_voucher",
                0,
                ("paid_at", VoucherStatus.PAID),
                dt.datetime(2026, 3, 30, 12, 0, tzinfo=dt.UTC),
            ),
        ]
    )
    # A compare-and-set alone after a refresh: it must mark the days itself.
    @example([("add_guarantee", 0, 0, 1, None), ("refresh",), ("keep_guarantee", 0)])
    # Agreement versions confirmed, queried and moved with their employer; a start recorded
    # against a referral, the referral moved to another office, then deleted.
    @example(
        [
            ("add_version", 0, MOMENTS[0], None),
            ("add_version", 1, MOMENTS[1], MOMENTS[2]),
            ("add_referral", 0, 0, MOMENTS[0], MOMENTS[1], 2, True),
            ("add_outcome", 0, 0, 1, True, False, ValidationStatus.VALIDATED, 1),
            ("refresh",),
            ("query_version", 0),
            ("set_version", 0, MOMENTS[3]),
            ("place_measure", 0, 0),
            ("office_measure", 0, 1),
            ("refresh",),
            ("redistrict_version", 0, 1),
            ("unquery_version", 0),
            ("confirm_version", 1, None),
            ("set_referral", 0, MOMENTS[4], ReferralStatus.INTERVIEW_ARRANGED),
            ("refresh",),
            ("move_start", 0, 3),
            ("office_measure", 0, 2),
            ("delete_referral", 0),
        ]
    )
    # Each write alone after a refresh, so it must mark its own days: a query raised and
    # withdrawn (the version's day), a start linked to a referral, the referral's office.
    @example(
        [
            ("add_version", 0, MOMENTS[0], None),
            ("add_referral", 0, 0, MOMENTS[0], None, None, False),
            ("add_outcome", 0, 0, 1, True, False, ValidationStatus.VALIDATED, 1),
            ("refresh",),
            ("query_version", 0),
            ("place_measure", 0, 0),
        ]
    )
    @example(
        [
            ("add_version", 0, MOMENTS[0], None),
            ("add_referral", 0, 0, MOMENTS[0], None, None, False),
            ("add_outcome", 0, 0, 1, True, False, ValidationStatus.VALIDATED, 1),
            ("query_version", 0),
            ("place_measure", 0, 0),
            ("refresh",),
            ("unquery_version", 0),
            ("office_measure", 0, 1),
        ]
    )
    # A sector course three employers share is one course; each hire counts for its own.
    @example(
        [
            ("add_course_pet", 0, 1, True),
            ("add_employer_pet", 2, 0, CourseEmployerStatus.JOINED, 4),
            ("add_employer_pet", 2, 1, CourseEmployerStatus.INVITED, 2),
            ("hire_pet", 0, 0, 2, True, ValidationStatus.VALIDATED),
            ("hire_pet", 1, 1, 2, False, ValidationStatus.AWAITING_EMPLOYER),
            ("hire_pet", 1, 1, 3, True, ValidationStatus.VALIDATED),
            ("refresh",),
            ("join_employer_pet", 1, 3),
            ("move_course_pet", 2, 3),
            ("rename_pet", 0, "A|B"),
            ("refresh",),
            ("cancel_course_pet", 2),
            ("delete_employer_pet", 0),
        ]
    )
    @example(
        [
            ("add_outcome", 0, 0, 1, True, True, ValidationStatus.VALIDATED, 1),
            ("issue_voucher", 0, dt.datetime(2026, 3, 30, 12, 0, tzinfo=dt.UTC)),
            ("refresh",),
            (
                "step_voucher",
                0,
                ("claimed_at", VoucherStatus.CLAIMED),
                dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
            ),
        ]
    )
    def sequence(writes: list[tuple]) -> None:
        savepoint = db.session.begin_nested()
        try:
            for write in writes:
                _apply(world, write)
            rollups.refresh(db.session)
            assert_rollups_match_live_counts()
            assert db.session.scalar(select(func.count(RollupDirty.id))) == 0
        finally:
            savepoint.rollback()
            db.session.expire_all()

    sequence()


def _by_month(rollup: Rollup) -> Rollup:
    """The rollup kept by month: the same source, watches and measures."""
    return replace(
        rollup, name=f"{rollup.name}_by_month", grain="month", read_by_mi=False, before_today=()
    )


@pytest.mark.usefixtures("app")
def test_every_rollup_kept_by_month_equals_a_live_count_after_any_sequence_of_writes(
    monkeypatch,
):
    """Every MI rollup declared again by month (a mark on any day recounts its whole month,
    kept under the month's first day), against the same count taken from the records, with
    writes either side of each month's end at UK midnight, in GMT and in summer time."""
    monthly = tuple(_by_month(rollup) for rollup in rollups.ROLLUPS if rollup.grain == "day")
    monkeypatch.setattr(rollups, "ROLLUPS", monthly)
    monkeypatch.setattr(rollups, "BY_NAME", {rollup.name: rollup for rollup in monthly})
    world = World()
    # Stamped outside the examples, so their refreshes recount marked months, not everything.
    rollups.refresh(db.session, full=True)

    @sequences_of(WRITES, examples=60)
    # Outcomes, a check, a voucher and a guarantee either side of month ends, then moved
    # across them: both months of each move are recounted.
    @example(
        [
            ("add_outcome", 0, 0, -1, True, True, ValidationStatus.VALIDATED, 1),
            ("add_outcome", 1, 1, 0, True, False, ValidationStatus.VALIDATED, 3),
            ("add_check", 0, 13, 31),
            ("issue_voucher", 0, dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)),
            ("add_guarantee", 0, 0, 30, None),
            ("refresh",),
            ("move_start", 0, 30),
            (
                "step_voucher",
                0,
                ("claimed_at", VoucherStatus.CLAIMED),
                dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC),
            ),
            ("move_guarantee", 0, 31),
        ]
    )
    def sequence(writes: list[tuple]) -> None:
        savepoint = db.session.begin_nested()
        try:
            for write in writes:
                _apply(world, write)
            rollups.refresh(db.session)
            assert_rollups_match_live_counts()
            assert db.session.scalar(select(func.count(RollupDirty.id))) == 0
            stored = db.session.scalars(
                select(RollupCount.day).where(
                    RollupCount.rollup.in_([rollup.name for rollup in monthly])
                )
            ).all()
            assert {day.day for day in stored} <= {1}
        finally:
            savepoint.rollback()
            db.session.expire_all()

    sequence()


@pytest.mark.usefixtures("app")
def test_a_refresh_recounts_only_marked_days_and_twice_changes_nothing():
    world = World()
    # Only the marks this test's write makes: on PostgreSQL the worker's schema outlives a test.
    db.session.execute(delete(RollupDirty))
    _apply(world, ("add_outcome", 0, 0, 1, True, False, ValidationStatus.VALIDATED, 1))
    marked = db.session.scalars(select(RollupDirty.rollup)).all()
    assert set(marked) == {
        "outcomes_by_district",
        "outcome_groups",
        "sector_outcomes",
        "employer_service",
        "employer_progress",
    }
    assert rollups.refresh(db.session)["outcomes_by_district"] == 1
    before = {r.name: rollups.stored_counts(db.session, r) for r in rollups.ROLLUPS}
    assert rollups.refresh(db.session)["outcomes_by_district"] == 0
    assert {r.name: rollups.stored_counts(db.session, r) for r in rollups.ROLLUPS} == before
    rollups.refresh(db.session, full=True)
    assert {r.name: rollups.stored_counts(db.session, r) for r in rollups.ROLLUPS} == before
    assert rollups.as_of(db.session) is not None


@pytest.mark.usefixtures("app")
def test_updates_run_as_statements_mark_the_days_of_the_rows_they_match():
    world = World()
    _apply(world, ("add_outcome", 0, 0, 2, True, False, ValidationStatus.VALIDATED, 1))
    _apply(world, ("add_check", 0, 13, 4))
    rollups.refresh(db.session)
    (outcome,) = _outcomes()
    # An ORM bulk update by primary key, then a compare-and-set with a WHERE.
    db.session.execute(
        update(JobOutcome), [{"id": outcome.id, "validation_status": ValidationStatus.REJECTED}]
    )
    marked = set(db.session.execute(select(RollupDirty.rollup, RollupDirty.day)).all())
    assert ("outcome_groups", DAY + dt.timedelta(days=2)) in marked
    assert ("sustainment", DAY + dt.timedelta(days=4)) in marked
    rollups.refresh(db.session)
    assert_rollups_match_live_counts()


@pytest.mark.usefixtures("app")
def test_the_employer_rollups_count_each_organisation_on_the_days_things_happened():
    world = World()
    for write in (
        ("add_referral", 0, 0, MOMENTS[0], MOMENTS[1], 2, True),
        ("add_referral", 0, 1, MOMENTS[1], MOMENTS[3], None, True),
        ("complete_callback", 0, MOMENTS[3], False),
        ("complete_callback", 1, MOMENTS[3], True),
        ("add_contact", 1, ContactKind.MEETING, 3),
        ("add_contact", 1, ContactKind.EMAIL, 3),
        ("set_referral", 1, MOMENTS[3], ReferralStatus.WITHDRAWN),
        ("refresh",),
    ):
        _apply(world, write)
    first, second = (organisation.id for organisation in world.organisations)
    service = rollups.stored_counts(db.session, rollups.BY_NAME["employer_service"])
    # 23:30 UTC on 1 March is that day in the UK; 23:30 UTC on 29 March is the 30th (BST).
    assert service == {
        (DAY, None, None, first, "", "referrals"): 1,
        (DAY + dt.timedelta(days=1), None, None, first, "", "referrals"): 1,
        (DAY + dt.timedelta(days=1), None, None, first, "", "interviews"): 1,
        (DAY + dt.timedelta(days=2), None, None, first, "", "work_trials"): 1,
        (dt.date(2026, 3, 30), None, None, first, "", "callbacks"): 1,
        (dt.date(2026, 3, 30), None, None, first, "", "on_time"): 1,
        (dt.date(2026, 3, 30), None, None, second, "", "callbacks"): 1,
        (DAY + dt.timedelta(days=3), None, None, second, "", "visits"): 1,
    }
    progress = rollups.stored_counts(db.session, rollups.BY_NAME["employer_progress"])
    assert progress[(DAY, None, None, first, "2026-03-02", "arranged")] == 1
    assert progress[(DAY + dt.timedelta(days=1), None, None, first, "", "promised")] == 1
    assert_rollups_match_live_counts()


@pytest.mark.usefixtures("app")
def test_a_rollup_whose_stored_version_differs_is_recounted_in_full():
    world = World()
    _apply(world, ("add_outcome", 0, 0, 1, True, False, ValidationStatus.VALIDATED, 1))
    rollups.refresh(db.session)
    # Counts of an older shape (three parts, before the source), never marked again.
    db.session.add(
        RollupCount(rollup="outcome_groups", day=DAY, key="a_pg1_2|retail|small", value_1=5)
    )
    db.session.execute(
        update(RollupState).where(RollupState.rollup == "outcome_groups").values(version=0)
    )
    recounted = rollups.refresh(db.session)
    assert recounted["outcome_groups"] == -1 and recounted["sustainment"] == 0
    assert_rollups_match_live_counts()
    assert db.session.get(RollupState, "outcome_groups").version == 1

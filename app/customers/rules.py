"""Who a customer is to Jobcentre Plus, and which LEP offers they can have.

Pure rules: plain values in, plain values out, no database and no request, so that
views, reports and imports all decide the same way.

Sources (in /work/shared/seeds/):
- 000: Jobcentre Plus letter to providers, "Local Employment Partnerships Extension",
  8 April 2009.
- 002: DWP Provider Guidance, Chapter 18 "Local Employment Partnerships", Part B,
  sections "LEP Eligibility" and "New Deal for Disabled People (NDDP)".
- 003: IES evaluation of LEPs for DWP, section 2.1 "Background" (the recruitment subsidy)
  and section 2.3.2 (who priority customer groups 1 and 2 are).
- The priority groups themselves are the published Jobcentre Plus Job Outcome Target
  customer groups (DWP; points table in Hansard, HC, 14 April 2006, Annex 1): 12 points
  for lone parents and people on inactive benefits, 8 for JSA claimants of six months or
  more and other disadvantaged groups, 4 for JSA under six months, 2 for other jobless
  people not claiming, 1 for people already in work.
"""

import calendar
import datetime

from flask_babel import lazy_gettext as _l

JSA = "jsa"  # Jobseeker's Allowance
ESA = "esa"  # Employment and Support Allowance
IB = "ib"  # Incapacity Benefit
IS = "is"  # Income Support

BENEFITS = (JSA, ESA, IB, IS)

# The "inactive" benefits: not available for work, so PG1 under the Job Outcome Target.
INACTIVE_BENEFITS = frozenset({ESA, IB, IS})

BENEFIT_LABELS = {
    JSA: _l("Jobseeker's Allowance"),
    ESA: _l("Employment and Support Allowance"),
    IB: _l("Incapacity Benefit"),
    IS: _l("Income Support"),
}

PRIORITY_GROUPS = (1, 2, 3, 4, 5)

PRIORITY_GROUP_LABELS = {
    1: _l(
        "Priority group 1: lone parents and people on Incapacity Benefit, "
        "Employment and Support Allowance or Income Support"
    ),
    2: _l(
        "Priority group 2: claiming Jobseeker's Allowance for six months or more, "
        "or other disadvantaged customers"
    ),
    3: _l("Priority group 3: claiming Jobseeker's Allowance for less than six months"),
    4: _l("Priority group 4: unemployed and not claiming benefits"),
    5: _l("Priority group 5: in work"),
}

LONG_TERM_JSA_MONTHS = 6

# Seed 000: "From the start of April" 2009 LEPs cover PG3, PG4 and PG5 under redundancy threat.
LEP_EXTENSION_DATE = datetime.date(2009, 4, 1)

# Seed 003, section 2.1: the £1,000 recruitment subsidy came in from April 2009.
RECRUITMENT_SUBSIDY_START = datetime.date(2009, 4, 1)
RECRUITMENT_SUBSIDY_POUNDS = 1000


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month, `months` calendar months on (or back, if negative).

    When the target month is shorter, clamp to its last day: 31 August + 6 months is
    28 February (29 in a leap year), never a day in March.
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last_day))


def _check_benefit(
    benefit: str | None, claim_start: datetime.date | None, on: datetime.date
) -> None:
    if benefit is not None and benefit not in BENEFITS:
        raise ValueError(f"unknown benefit {benefit!r}; expected one of {BENEFITS} or None")
    if benefit is None and claim_start is not None:
        # A claim date with no claim is a stale or mistyped record; guessing either way
        # would put the customer in the wrong group.
        raise ValueError("claim_start given but no benefit")
    if benefit == JSA and claim_start is None:
        raise ValueError("a JSA claim needs claim_start to tell PG2 from PG3")
    if claim_start is not None and claim_start > on:
        raise ValueError(f"claim_start {claim_start} is after {on}")


def _long_term_jsa(claim_start: datetime.date, on: datetime.date) -> bool:
    # Six months are reached on the day six calendar months after the claim began.
    return add_months(claim_start, LONG_TERM_JSA_MONTHS) <= on


def _check_group(priority_group: int) -> None:
    if isinstance(priority_group, bool) or priority_group not in PRIORITY_GROUPS:
        raise ValueError(f"priority group must be 1 to 5, not {priority_group!r}")


def priority_group(
    on: datetime.date,
    *,
    benefit: str | None,
    claim_start: datetime.date | None,
    lone_parent: bool = False,
    employed: bool = False,
    other_disadvantage: bool = False,
) -> int:
    """The customer's Jobcentre Plus priority group (1 to 5) on the day `on`.

    Source: the Jobcentre Plus Job Outcome Target customer groups (module docstring);
    seed 003 section 2.3.2 lists PG1/PG2 as "lone parents, long-term unemployed of six
    months or more, in receipt of Incapacity Benefit (IB), Employment and Support
    Allowance (ESA) or Income Support (IS), and other disadvantaged customers"; seed 000
    gives PG3 (JSA under six months), PG4 (unemployed, not claiming), PG5 (employed).

    - PG1: lone parents, and anyone on an inactive benefit (ESA, IB, IS).
    - PG2: JSA claimed for six months or more on `on`, or `other_disadvantage` (e.g.
      people with disabilities not on an inactive benefit, New Deal participants).
    - PG3: JSA claimed for less than six months.
    - PG5: in work (and in none of the groups above).
    - PG4: everyone else: out of work and not claiming.

    Precedence (the sources are silent; decided here): the highest-priority group that
    applies wins, so being in work never lowers a customer's group. A lone parent on
    Income Support working under 16 hours stays PG1, and a JSA claimant in permitted
    part-time work is grouped by the claim (PG2 or PG3), not as PG5.

    Raises ValueError for an unknown benefit, a JSA claim with no `claim_start`, a
    `claim_start` with no benefit, or a `claim_start` after `on`. For ESA, IB and IS
    `claim_start` may be None: the length of the claim does not change the group.
    """
    _check_benefit(benefit, claim_start, on)
    if lone_parent or benefit in INACTIVE_BENEFITS:
        return 1
    if other_disadvantage:
        return 2
    if benefit == JSA:
        assert claim_start is not None  # checked above
        return 2 if _long_term_jsa(claim_start, on) else 3
    if employed:
        return 5
    return 4


def lep_eligible(
    priority_group: int, on: datetime.date, under_redundancy_notice: bool = False
) -> bool:
    """Whether a customer in `priority_group` can be matched to LEP jobs on the day `on`.

    Source: seed 001 (the target is "PG 1 & 2 customers") and seed 000 (letter of
    8 April 2009): "From the start of April, all LEP Partnership agreements and LEP
    Employer agreements will include all of our Priority Group 3 customers ... Priority
    Group 4's ... as well as those Priority Group 5's (employed customers) who are under
    threat or notice of redundancy". So before 1 April 2009 only PG1 and PG2; from then
    PG1 to PG4, and PG5 only under threat or notice of redundancy.

    `under_redundancy_notice` matters only for PG5 from 1 April 2009. Raises ValueError
    for a group outside 1 to 5.
    """
    _check_group(priority_group)
    if priority_group in (1, 2):
        return True
    if on < LEP_EXTENSION_DATE:
        return False
    if priority_group in (3, 4):
        return True
    return under_redundancy_notice


def pet_eligible(
    priority_group: int, disadvantaged_ward: bool, nddp_eligible: bool = False
) -> bool:
    """Whether a customer can be referred to LEP pre-employment training (PET).

    Source: seed 002 (Provider Guidance ch. 18), "LEP Eligibility": a PGC1 or PGC2
    customer, or a PGC3 or PGC4 customer in a Disadvantaged Area Ward (DAW) or
    Disadvantaged Group Ward (DGW); and "New Deal for Disabled People (NDDP)": customers
    eligible for NDDP are also eligible, whatever their group.

    `disadvantaged_ward` is True when the customer lives in a DAW or a DGW. It does not
    help PG5: the guidance names only PG3 and PG4. Raises ValueError for a group outside
    1 to 5.
    """
    _check_group(priority_group)
    if nddp_eligible or priority_group in (1, 2):
        return True
    return priority_group in (3, 4) and disadvantaged_ward


def subsidy_eligible(
    benefit: str | None, claim_start: datetime.date | None, job_start: datetime.date
) -> bool:
    """Whether a job start earns the employer the £1,000 recruitment subsidy.

    Source: seed 003 (IES evaluation), section 2.1: from April 2009, "£1,000 paid to
    employers who took on unemployed people who had been claiming JSA for six months or
    longer". So: the job starts on or after 1 April 2009, and on the start date the
    person has been claiming JSA for six months or more (the same six-month test as
    `priority_group`). Other benefits do not count, however long the claim.

    The sources give no end date for the subsidy, so none is applied here. `claim_start`
    is the start of the JSA claim running up to the job. Raises ValueError on the same
    inconsistent inputs as `priority_group` (with `job_start` as the day).
    """
    _check_benefit(benefit, claim_start, job_start)
    if job_start < RECRUITMENT_SUBSIDY_START or benefit != JSA:
        return False
    assert claim_start is not None  # checked above
    return _long_term_jsa(claim_start, job_start)

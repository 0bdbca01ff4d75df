"""Plain-English names for agreement values, for pages and emails."""

from flask_babel import lazy_gettext as _l

from app.agreements.models import Channel, Measure

MEASURE_LABELS = {
    Measure.WORK_TRIALS: _l("Work trials"),
    Measure.GUARANTEED_INTERVIEWS: _l("Guaranteed interviews"),
    Measure.WORK_PLACEMENTS: _l("Work experience or work placements"),
    Measure.SUBSIDISED_EMPLOYMENT: _l("Subsidised employment places"),
    Measure.PET: _l("Pre-employment training designed with you"),
    Measure.WORKFORCE_DEVELOPMENT: _l("Workforce development, like Train to Gain"),
    Measure.MENTORING: _l("Employee volunteers mentoring jobseekers"),
    Measure.APPLICATION_REVIEW: _l("A review of your application process"),
    Measure.OPEN_DAYS: _l("Open days or recruitment days"),
}

CHANNEL_LABELS = {
    Channel.PHONE: _l("by phone"),
    Channel.MEETING: _l("at a meeting"),
    Channel.EMAIL: _l("by email"),
    Channel.ONLINE: _l("online"),
}

PRIORITY_GROUP_SHORT = {
    1: _l("Priority group 1"),
    2: _l("Priority group 2"),
    3: _l("JSA claimants out of work under 6 months (priority group 3)"),
    4: _l("Unemployed people not claiming benefits (priority group 4)"),
    5: _l("Employed people under threat or notice of redundancy (priority group 5)"),
}

# Priority groups 1 and 2 are the disadvantaged jobseekers LEPs were set up for (DOMAIN.md);
# the portal does not split them, so together they read as one group.
DISADVANTAGED = _l(
    "Disadvantaged jobseekers, such as lone parents, people out of work for 6 months or more, "
    "and people claiming Incapacity Benefit, Employment and Support Allowance or Income Support"
)

PRIORITY_GROUP_PLAIN = {
    1: _l("Disadvantaged jobseekers (priority group 1)"),
    2: _l("Disadvantaged jobseekers (priority group 2)"),
    3: _l("People claiming Jobseeker's Allowance for under 6 months"),
    4: _l("Unemployed people who are not claiming benefits"),
    5: _l("Employed people under threat or notice of redundancy"),
}


def priority_group_descriptions(groups: list[int]) -> list[object]:
    """The groups an agreement covers, in plain English, one line each."""
    chosen = sorted(set(groups))
    lines: list[object] = []
    if 1 in chosen and 2 in chosen:
        lines.append(DISADVANTAGED)
        chosen = [group for group in chosen if group not in (1, 2)]
    lines.extend(PRIORITY_GROUP_PLAIN[group] for group in chosen if group in PRIORITY_GROUP_PLAIN)
    return lines

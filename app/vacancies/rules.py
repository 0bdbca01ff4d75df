"""Pure rules for vacancies: minimum pay by age, and fair-shot advice on requirements.

Plain values in, plain values out: no database, no request, no Flask app context needed.

Why these rules exist (see ``DOMAIN.md`` and the seeds beside it):

* A LEP job outcome counts only if it is paid at least the National Minimum Wage for the
  worker's age, so a vacancy's pay decides which jobseekers can lawfully be placed in it.
* Employers signing a LEP agree to "review their application processes to ensure that local
  benefit claimants are not inadvertently excluded by, for example, requirements for
  qualifications, or overly complicated procedures" (LEP key facts, seed 001; DOMAIN.md
  "Agreements and measures"). The evaluation (seed 003) found that staff used LEPs "to
  challenge employers' recruitment practices and encourage them to refine their processes
  and/or applicant criteria/person specification", and that claimants were held back by
  "a long gap in [their] employment history", "lack of transport", and "problems with
  writing and spelling ... when filling in application forms". The fair-shot advice puts
  that review in front of the employer while they write the vacancy.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from types import MappingProxyType
from typing import Final

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# ---------------------------------------------------------------------------------------------
# National Minimum Wage / National Living Wage
# ---------------------------------------------------------------------------------------------

#: Hourly rates in force from each effective date, as bands keyed by the band's minimum age
#: (the band runs up to the next band's minimum age; the highest band has no upper limit).
#:
#: Sources: GOV.UK "National Minimum Wage and National Living Wage rates"
#: (https://www.gov.uk/national-minimum-wage-rates, including its table of previous rates)
#: and the Low Pay Commission's annual reports and recommendations, as accepted by the
#: Government (the 1 April 2026 rates were announced at the November 2025 Budget).
#:
#: Age bands changed over time:
#:
#: * to 30 Sept 2010: adult rate 22+, development rate 18-21, 16-17 rate;
#: * from 1 Oct 2010: adult rate 21+, 18-20, 16-17;
#: * from 1 Apr 2016: National Living Wage 25+, 21-24, 18-20, 16-17;
#: * from 1 Apr 2021: National Living Wage 23+, 21-22, 18-20, 16-17;
#: * from 1 Apr 2024: National Living Wage 21+, 18-20, 16-17.
#:
#: The apprentice rate and the accommodation offset are deliberately left out: the portal
#: checks a vacancy's advertised pay against the age of the person who could fill it.
MINIMUM_WAGE_RATES: Final[Mapping[date, Mapping[int, Decimal]]] = MappingProxyType(
    {
        effective: MappingProxyType({age: Decimal(rate) for age, rate in bands.items()})
        for effective, bands in {
            date(2007, 10, 1): {22: "5.52", 18: "4.60", 16: "3.40"},
            date(2008, 10, 1): {22: "5.73", 18: "4.77", 16: "3.53"},
            date(2009, 10, 1): {22: "5.80", 18: "4.83", 16: "3.57"},
            date(2010, 10, 1): {21: "5.93", 18: "4.92", 16: "3.64"},
            date(2011, 10, 1): {21: "6.08", 18: "4.98", 16: "3.68"},
            date(2012, 10, 1): {21: "6.19", 18: "4.98", 16: "3.68"},
            date(2013, 10, 1): {21: "6.31", 18: "5.03", 16: "3.72"},
            date(2014, 10, 1): {21: "6.50", 18: "5.13", 16: "3.79"},
            date(2015, 10, 1): {21: "6.70", 18: "5.30", 16: "3.87"},
            date(2016, 4, 1): {25: "7.20", 21: "6.70", 18: "5.30", 16: "3.87"},
            date(2016, 10, 1): {25: "7.20", 21: "6.95", 18: "5.55", 16: "4.00"},
            date(2017, 4, 1): {25: "7.50", 21: "7.05", 18: "5.60", 16: "4.05"},
            date(2018, 4, 1): {25: "7.83", 21: "7.38", 18: "5.90", 16: "4.20"},
            date(2019, 4, 1): {25: "8.21", 21: "7.70", 18: "6.15", 16: "4.35"},
            date(2020, 4, 1): {25: "8.72", 21: "8.20", 18: "6.45", 16: "4.55"},
            date(2021, 4, 1): {23: "8.91", 21: "8.36", 18: "6.56", 16: "4.62"},
            date(2022, 4, 1): {23: "9.50", 21: "9.18", 18: "6.83", 16: "4.81"},
            date(2023, 4, 1): {23: "10.42", 21: "10.18", 18: "7.49", 16: "5.28"},
            date(2024, 4, 1): {21: "11.44", 18: "8.60", 16: "6.40"},
            date(2025, 4, 1): {21: "12.21", 18: "10.00", 16: "7.55"},
            date(2026, 4, 1): {21: "12.71", 18: "10.85", 16: "8.00"},
        }.items()
    }
)

_EFFECTIVE_DATES: Final[tuple[date, ...]] = tuple(sorted(MINIMUM_WAGE_RATES))

#: The youngest age any band covers: below it (under school-leaving age) no minimum applies.
YOUNGEST_BAND_AGE: Final = 16

#: Weeks in a year when turning an annual salary into an hourly rate.
WEEKS_PER_YEAR: Final = Decimal(52)

PAY_PERIODS: Final = ("hourly", "weekly", "annual")

_PENNY: Final = Decimal("0.01")


def _as_date(on: date) -> date:
    # ``datetime`` is a subclass of ``date`` but does not compare with one; take its date.
    return on.date() if isinstance(on, datetime) else on


def _bands_on(on: date) -> Mapping[int, Decimal]:
    """The rate bands in force on ``on``; ValueError before the table starts."""
    on = _as_date(on)
    index = bisect.bisect_right(_EFFECTIVE_DATES, on) - 1
    if index < 0:
        raise ValueError(
            f"no minimum wage rate is held for {on.isoformat()}: "
            f"the table starts on {_EFFECTIVE_DATES[0].isoformat()}"
        )
    return MINIMUM_WAGE_RATES[_EFFECTIVE_DATES[index]]


def minimum_hourly_wage(on: date, age: int) -> Decimal:
    """The National Minimum Wage / National Living Wage hourly rate for ``age`` on ``on``.

    A LEP job outcome only counts if the job pays at least this (DOMAIN.md, "Job outcomes
    and targets"). Rates come from :data:`MINIMUM_WAGE_RATES`, which cites GOV.UK "National
    Minimum Wage and National Living Wage rates" and the Low Pay Commission reports.

    Raises ValueError for a date before 1 October 2007 (outside the table) or an age under
    16 (under school-leaving age, no minimum wage applies).
    """
    if age < YOUNGEST_BAND_AGE:
        raise ValueError(f"no minimum wage applies at age {age}: the youngest band is 16-17")
    bands = _bands_on(on)
    band_age = max(minimum for minimum in bands if minimum <= age)
    return bands[band_age]


def youngest_lawful_age(hourly_pay: Decimal, on: date) -> int | None:
    """The youngest band lower bound N from which every older age may lawfully get ``hourly_pay``.

    The answer is a band's lower bound, so the portal can tell an employer plainly "at this
    pay you can lawfully employ people aged N and over". None when no such N exists.

    Note what the published rates imply: they rise with age, so a pay that meets the top
    (adult / National Living Wage) band meets every younger band too, and the answer is then
    always 16; a pay below the top band's rate gives None, even when younger bands' rates are
    met (for example £10.00 from April 2025 is lawful at 16 to 20 but not at 21 and over). To
    tell the employer which ages a lower pay does cover, use :func:`lawful_age_range`.
    """
    bands = _bands_on(on)
    youngest: int | None = None
    for band_age in sorted(bands, reverse=True):
        if bands[band_age] > hourly_pay:
            break
        youngest = band_age
    return youngest


def lawful_age_range(hourly_pay: Decimal, on: date) -> tuple[int, int | None] | None:
    """The ages at which ``hourly_pay`` is at least the minimum wage on ``on``.

    Returns ``(youngest, oldest)`` with ``oldest`` None for "and over", so the portal can say
    "at this pay you can lawfully employ people aged 16 and over" or "... aged 16 to 20"; or
    None when the pay is below even the 16-17 rate. Rates rise with age, so the lawful ages
    always start at 16 and run up to the last band whose rate the pay meets.
    """
    bands = _bands_on(on)
    ordered = sorted(bands)
    lawful = [band_age for band_age in ordered if bands[band_age] <= hourly_pay]
    if not lawful:
        return None
    top = lawful[-1]
    later = [band_age for band_age in ordered if band_age > top]
    return (ordered[0], later[0] - 1 if later else None)


def hourly_equivalent(amount: Decimal, period: str, hours_per_week: Decimal) -> Decimal:
    """The hourly rate that ``amount`` per ``period`` comes to, rounded DOWN to the penny.

    ``period`` is "hourly", "weekly" or "annual" (a year is 52 weeks). Rounding down, not to
    nearest, means a pay that is only lawful thanks to rounding is refused.

    Raises ValueError for an unknown period, a negative amount or non-positive hours, and
    TypeError for a float (binary floating point cannot hold pence exactly).
    """
    if isinstance(amount, float) or isinstance(hours_per_week, float):
        raise TypeError("pay and hours must be Decimal (or int), never float")
    amount = Decimal(amount)
    hours_per_week = Decimal(hours_per_week)
    if period not in PAY_PERIODS:
        raise ValueError(f"unknown pay period {period!r}: expected one of {PAY_PERIODS}")
    if hours_per_week <= 0:
        raise ValueError(f"hours per week must be positive, not {hours_per_week}")
    if amount < 0:
        raise ValueError(f"pay cannot be negative: {amount}")
    if period == "hourly":
        hourly = amount
    elif period == "weekly":
        hourly = amount / hours_per_week
    else:
        hourly = amount / WEEKS_PER_YEAR / hours_per_week
    return hourly.quantize(_PENNY, rounding=ROUND_DOWN)


# ---------------------------------------------------------------------------------------------
# Fair-shot advice: requirements that can needlessly exclude disadvantaged jobseekers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FairShotAdvice:
    """One piece of advice on a vacancy's requirements or application process.

    ``code`` is stable (store it, test against it); ``requirement`` is the phrase found in the
    employer's own text; ``advice`` (what to do) and ``reason`` (why) are user-facing lazy
    strings, translated when rendered so Welsh can follow.
    """

    code: str
    requirement: str
    advice: str | LazyString
    reason: str | LazyString


@dataclass(frozen=True, slots=True)
class _Rule:
    code: str
    pattern: re.Pattern[str]
    advice: LazyString
    reason: LazyString


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


# Words that turn a requirement into its opposite when they come shortly before it in the
# same clause ("no degree needed", "you don't need to be currently employed") ...
_NEGATION_BEFORE: Final = _rx(
    r"""(?<!\w)(?: no | not | without | never | nor | neither
                | don['\u2019]?t | do\ not | doesn['\u2019]?t | does\ not
                | isn['\u2019]?t | is\ not | aren['\u2019]?t | are\ not )(?!\w)"""
)
# ... or shortly after it ("a degree is not required", "licence (not essential)").
_NEGATION_AFTER: Final = _rx(
    r"""^\W*(?:\w+\W+){0,3}?
        (?: not | isn['\u2019]?t | aren['\u2019]?t | never )\W+
        (?: \w+\W+ )?
        (?: required | needed | necessary | essential | important | a\ requirement | expected
          | have\ to | need )(?!\w)"""
)
# Where a clause ends: a requirement's negation does not reach across these. Parentheses are
# not breaks, so that "driving licence (not essential)" reads as not required.
_CLAUSE_BREAK: Final = re.compile(r"[.;:!?\n•,]|\band\b|\bbut\b", re.IGNORECASE)
_WORDS_BEFORE: Final = 4


def _is_negated(text: str, start: int, end: int) -> bool:
    """True when the match at ``text[start:end]`` is stated as *not* required."""
    before = text[:start]
    last_break = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
    before_words = before[last_break:].split()[-_WORDS_BEFORE:]
    if _NEGATION_BEFORE.search(" ".join(before_words)):
        return True
    after = text[end:]
    next_break = _CLAUSE_BREAK.search(after)
    clause_after = after[: next_break.start()] if next_break else after
    return bool(_NEGATION_AFTER.search(clause_after))


def _find(rule: _Rule, *texts: str) -> str | None:
    """The first non-negated phrase matching ``rule`` in ``texts``, tidied; else None."""
    for text in texts:
        for match in rule.pattern.finditer(text or ""):
            if not _is_negated(text, match.start(), match.end()):
                return " ".join(match.group(0).split())
    return None


_NUMBER: Final = (
    r"(?: \d+ | one | two | three | four | five | six | seven | eight | nine | ten | twelve"
    r" | eighteen | twenty-four | several | a\ few | a\ couple\ of | a\ number\ of )"
)
# A length of time, but not an age ("18 years old", "over 18 years of age").
_DURATION: Final = (
    rf"(?<!\w){_NUMBER} \s* \+? \s* (?: years? | yrs? | months? ) (?!\w)"
    r"(?! \s* (?: olds? | of\ age ) (?!\w) )"
)
_SEPARATOR: Final = r"[\s:(\u2013-]+"

_DEGREE_FOR_ENTRY_LEVEL: Final = _Rule(
    code="degree_for_entry_level",
    pattern=_rx(
        r"""(?<!\w)(?: (?: (?: foundation | honours | university | bachelor['\u2019]?s?
                     | master['\u2019]?s? ) \s )?
                  (?<![\d-])(?<!\d\ )degrees?(?!\ of(?!\w))
              | (?:be|are)\ (?:a\ )?graduates? | graduates?\ (?:of|with|in)
              | graduate[- ]level | university[- ]educated | university\ education
              | bachelor['\u2019]?s | master['\u2019]?s | postgraduate
              | b\.?a\.?\ ?\(hons\) | bsc | b\.sc | beng | msc | mba
              | hnd | hnc | higher\ national\ (?:diploma|certificate)
              | (?:nvq|svq|qcf|rqf)\ level\ [4-8] | level\ [4-8]\ (?:qualification|diploma) )
            (?!\w)"""
    ),
    advice=_l(
        "Think about whether this job really needs a degree or higher-level qualification. "
        "Describe the skills and attitudes the job needs instead, and let Jobcentre Plus "
        "pre-employment training prepare candidates for them."
    ),
    reason=_l(
        "Entry-level work rarely needs a degree. Asking for one shuts out people who could do "
        "the job well, including many long-term unemployed claimants, and as a Local "
        "Employment Partnership employer you agreed to review qualification requirements "
        "that exclude them."
    ),
)

_SCHOOL_SUBJECT: Final = r"(?: english(?:\ language)? | maths | mathematics | science )"

_SCHOOL_QUALIFICATIONS_FOR_ENTRY_LEVEL: Final = _Rule(
    code="school_qualifications_for_entry_level",
    pattern=_rx(
        rf"""(?<!\w)(?: {_NUMBER} \s+ (?:or\ more\ )? )?
             (?: gcses? | gcse['\u2019]s | igcses? | o[- ]levels? | a-levels? | a\ levels
               | standard\ grades? | national\ 5s? | scottish\ highers | highers )
             (?: \s+ (?:including | incl\.? | in | at\ grade\ \w+(?:[-\u2013/]\w+)?\ in)
                 \s+ {_SCHOOL_SUBJECT} (?: \s* (?:,|and|&) \s* {_SCHOOL_SUBJECT} )* )?
           (?!\w)"""
    ),
    advice=_l(
        "Think about whether this job really needs GCSEs or other exam passes. Describe the "
        "reading, writing and number skills the job uses instead, and let Jobcentre Plus "
        "pre-employment training prepare candidates for them."
    ),
    reason=_l(
        "Many people who have been out of work a long time left school without exam passes, "
        "yet can do entry-level work well. A list of GCSEs shuts them out, and as a Local "
        "Employment Partnership employer you agreed to review qualification requirements "
        "that exclude them."
    ),
)

_EXPERIENCE_FOR_ENTRY_LEVEL: Final = _Rule(
    code="experience_for_entry_level",
    pattern=_rx(
        rf"""(?: (?<!\w)(?: minimum(?:\ of)? | at\ least | over | more\ than
                           | not?\ (?:less|fewer)\ than )\s+ )?
             {_DURATION} (?:\s+or\s+more)? ['\u2019]? \s* (?:of\s+)? (?:[\w-]+\s+){{0,3}}?
             experience(?!\w)
           | (?<!\w)experience (?:{_SEPARATOR}[\w-]+){{0,5}}? {_SEPARATOR}
             (?: (?: minimum(?:\ of)? | at\ least | of | for | over | more\ than ) \s+ )?
             {_DURATION}"""
    ),
    advice=_l(
        "Ask for the skills the job needs rather than a length of experience. If you want "
        "proof someone can do the work, offer a work trial or a guaranteed interview instead."
    ),
    reason=_l(
        "A set number of years' experience for entry-level work excludes people returning to "
        "work, young people looking for their first job, and claimants who have been out of "
        "work for a long time, even when they could learn the job quickly."
    ),
)

_MUST_BE_IN_WORK: Final = _Rule(
    code="must_be_in_work",
    pattern=_rx(
        r"""(?<!\w)(?: must\ (?:already\ )?be\ (?:currently\ )?(?:in\ work|employed|working)
              | (?:currently|presently)\ (?:in\ (?:work|employment|a\ job)|employed
                                          |working(?!\ (?:towards?|on|through)(?!\w)))
              | in\ current\ employment | in\ employment\ now | in\ work\ now
              | (?:no|not\ open\ to)\ (?:the\ )?unemployed
              | unemployed\ (?:people\ |applicants\ |candidates\ )?need\ not\ apply )(?!\w)"""
    ),
    advice=_l(
        "Remove the requirement to be in work now. Judge candidates on whether they can do "
        "the job, not on whether they have a job today."
    ),
    reason=_l(
        "Local Employment Partnerships exist to give people out of work a fair shot at your "
        "vacancies. Requiring applicants to be employed already excludes every jobseeker "
        "Jobcentre Plus can refer to you."
    ),
)

_NO_GAPS: Final = _Rule(
    code="no_gaps",
    pattern=_rx(
        r"""(?<!\w)(?: no\ (?:unexplained\ )?(?:gaps?|breaks?)\ in\ (?:your\ |their\ |the\ )?
                  (?:employment|work|career|cv|job)(?:\ (?:history|record))?
              | (?:gap|break)[- ]free\ (?:employment|work|career)(?:\ (?:history|record))?
              | (?:continuous|unbroken|uninterrupted)\ (?:employment|work|career)
                  (?:\ (?:history|record))?
              | (?:without|must\ not\ have|must\ have\ no)\ (?:any\ )?(?:gaps|breaks)
                  \ in\ (?:your\ )?(?:employment|work)
                  (?:\ (?:history|record))? )(?!\w)"""
    ),
    advice=_l(
        "Remove the requirement for an employment history without gaps. If you need to check "
        "a candidate's background, ask about the gaps instead of ruling them out."
    ),
    reason=_l(
        "Gaps in employment are common among lone parents, carers, people who have been ill "
        "or disabled, and anyone who has been out of work for a long time: the people Local "
        "Employment Partnerships are meant to help."
    ),
)

_DRIVING_LICENCE_NOT_NEEDED: Final = _Rule(
    code="driving_licence_not_needed",
    pattern=_rx(
        r"""(?<!\w)(?: (?:(?:full|clean|valid|current)\ )*(?:uk\ |eu\ )?(?:manual\ )?
                  driv(?:ing|er['\u2019]?s?)\ licen[cs]e
              | (?:(?:full|clean)\ )+(?:uk\ )?licen[cs]e
              | must\ (?:be\ able\ to\ )?drive | (?:ability|able)\ to\ drive
              | car\ driver | own\ (?:car|vehicle) | access\ to\ a\ (?:car|vehicle) )(?!\w)"""
    ),
    advice=_l(
        "This job does not involve driving, so do not ask for a driving licence or a car. If "
        "the workplace is hard to reach, say so and describe the shift times and transport "
        "links instead."
    ),
    reason=_l(
        "Many jobseekers cannot afford a car or driving lessons, and lack of transport is one "
        "of the barriers to work Jobcentre Plus sees most often. A licence the job does not "
        "use excludes them for no reason."
    ),
)

_LONG_APPLICATION: Final = _Rule(
    code="long_application",
    pattern=_rx(
        r"""(?<!\w)(?: (?:long|lengthy|detailed|extensive|full|comprehensive|\d+[- ]pages?)
                  \ (?:online\ |written\ |paper\ )?application(?:\ forms?)?
              | application\ forms?\ (?:of|runs?\ to|is)\ (?:over\ |about\ )?\d+\ pages
              | (?:multi(?:ple)?|several|numerous|two|three|four|five|[2-9])[- ]stages?
              | multi[- ]step
              | (?:online|internet|web)[- ]only | only\ (?:online|via\ our\ website)
              | online\ applications?\ only
              | (?:only|solely|exclusively)\ (?:accept\ )?(?:applications\ )?(?:made\ )?
                  (?:online|through\ our\ (?:website|online\ portal))
              | (?:must|can\ only)\ (?:be\ )?(?:apply|applied|submitted|made)\ online
              | no\ (?:paper|postal|phone|telephone)\ applications
              | (?:supporting|personal)\ statement | written\ (?:essay|statement) )(?!\w)"""
    ),
    advice=_l(
        "Keep applying simple: a short form, a phone call or a CV is enough for most jobs. "
        "Accept applications on paper or by phone as well as online, and let Jobcentre Plus "
        "screen candidates and arrange interviews for you."
    ),
    reason=_l(
        "Long forms, several written stages and online-only applications put off people who "
        "struggle with writing and spelling, lack confidence, or have no computer or internet "
        "at home. Local Employment Partnership employers agreed to review over-complicated "
        "application procedures."
    ),
)


def fair_shot_advice(
    essential: str,
    desirable: str,
    how_to_apply: str,
    *,
    entry_level: bool,
    involves_driving: bool,
) -> list[FairShotAdvice]:
    """Advice on requirements in a vacancy that can needlessly exclude disadvantaged jobseekers.

    Implements the LEP measure "reviewing the employer's application process so that
    claimants are not excluded by needless qualification requirements or over-complicated
    procedures" (DOMAIN.md; seeds 001 and 003). The person specification is checked in
    both ``essential`` and ``desirable``, because a jobseeker reads both and a "desirable"
    degree or licence puts off applicants who lack confidence (the evaluation calls lack of
    confidence "a key issue"). ``how_to_apply`` is checked for long or online-only
    application procedures.

    Matching is case-insensitive and tolerant of wording; a phrase stated as not required
    ("no degree needed") is ignored. Each code appears at most once, in a fixed order. Works
    without a Flask app context: the texts are lazy and translate when rendered.
    """
    rules: list[tuple[_Rule, tuple[str, ...]]] = []
    person_specification = (essential, desirable)
    if entry_level:
        rules.append((_DEGREE_FOR_ENTRY_LEVEL, person_specification))
        rules.append((_SCHOOL_QUALIFICATIONS_FOR_ENTRY_LEVEL, person_specification))
        rules.append((_EXPERIENCE_FOR_ENTRY_LEVEL, person_specification))
    rules.append((_MUST_BE_IN_WORK, person_specification))
    rules.append((_NO_GAPS, person_specification))
    if not involves_driving:
        rules.append((_DRIVING_LICENCE_NOT_NEEDED, person_specification))
    rules.append((_LONG_APPLICATION, (how_to_apply,)))

    advice: list[FairShotAdvice] = []
    for rule, texts in rules:
        found = _find(rule, *texts)
        if found is not None:
            advice.append(FairShotAdvice(rule.code, found, rule.advice, rule.reason))
    return advice


# ---------------------------------------------------------------------------------------------
# A vacancy's pay against the minimum wage, for the message the employer reads
# ---------------------------------------------------------------------------------------------

#: The National Living Wage (the top band's name) began on 1 April 2016.
NATIONAL_LIVING_WAGE_FROM: Final = date(2016, 4, 1)


def age_band(on: date, age: int) -> tuple[int, int | None]:
    """The minimum-wage band ``age`` falls in on ``on``: ``(18, 20)``, or ``(21, None)`` for
    "21 and over". Raises ValueError under 16 or before the table starts."""
    if age < YOUNGEST_BAND_AGE:
        raise ValueError(f"no minimum wage applies at age {age}: the youngest band is 16-17")
    ordered = sorted(_bands_on(on))
    lower = max(band_age for band_age in ordered if band_age <= age)
    later = [band_age for band_age in ordered if band_age > lower]
    return (lower, later[0] - 1 if later else None)


@dataclass(frozen=True, slots=True)
class PayCheck:
    """How an hourly pay compares with the minimum wage on one day, for one youngest age.

    ``minimum`` is the rate for ``youngest_age`` (in ``band``); ``lawful_ages`` is what
    :func:`lawful_age_range` says about the pay; ``adult_rate`` is the top band's rate.
    """

    hourly_pay: Decimal
    youngest_age: int
    minimum: Decimal
    band: tuple[int, int | None]
    lawful_ages: tuple[int, int | None] | None
    adult_rate: Decimal
    adult_age: int
    living_wage: bool  # the band's rate is called the National Living Wage

    @property
    def below_minimum(self) -> bool:
        """Below the rate for the youngest age the job is open to: the vacancy is refused."""
        return self.hourly_pay < self.minimum

    @property
    def limits_ages(self) -> bool:
        """Lawful for the youngest age but not for everyone older: the employer is told."""
        return not self.below_minimum and self.hourly_pay < self.adult_rate


def check_pay(hourly_pay: Decimal, on: date, youngest_age: int) -> PayCheck:
    """Compare ``hourly_pay`` with the minimum wage in force on ``on`` for ``youngest_age``.

    A vacancy is checked for the youngest age it is open to (LEP outcomes must pay at least
    the minimum wage for the worker's age); the lawful age range lets the portal tell the
    employer plainly which ages it can employ at that pay.
    """
    bands = _bands_on(on)
    band = age_band(on, youngest_age)
    adult_age = max(bands)
    return PayCheck(
        hourly_pay=hourly_pay,
        youngest_age=youngest_age,
        minimum=minimum_hourly_wage(on, youngest_age),
        band=band,
        lawful_ages=lawful_age_range(hourly_pay, on),
        adult_rate=bands[adult_age],
        adult_age=adult_age,
        living_wage=band[1] is None and _as_date(on) >= NATIONAL_LIVING_WAGE_FROM,
    )


_RULES_BY_CODE: Final[Mapping[str, _Rule]] = MappingProxyType(
    {
        rule.code: rule
        for rule in (
            _DEGREE_FOR_ENTRY_LEVEL,
            _EXPERIENCE_FOR_ENTRY_LEVEL,
            _MUST_BE_IN_WORK,
            _NO_GAPS,
            _DRIVING_LICENCE_NOT_NEEDED,
            _LONG_APPLICATION,
        )
    }
)


def advice_for(code: str, requirement: str) -> FairShotAdvice | None:
    """The advice a stored ``{code, requirement}`` stands for, to show staff what the employer
    was told; None for a code no longer known."""
    rule = _RULES_BY_CODE.get(code)
    if rule is None:
        return None
    return FairShotAdvice(rule.code, requirement, rule.advice, rule.reason)

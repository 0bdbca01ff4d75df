"""Demonstration data: every nation, every staff role, SME and large employers."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import (
    District,
    EmployerMembership,
    MembershipRole,
    Nation,
    Office,
    Organisation,
    Ownership,
    Site,
    SizeBand,
)
from app.accounts.services import assign_first_contact
from app.auth.models import Role, User
from app.extensions import db
from app.models_base import utcnow
from app.pet.models import TrainingProvider

DEMO_PASSWORD = "demo-portal-password"

NATIONS = {"england": "England", "wales": "Wales", "scotland": "Scotland"}

# Every postcode area of Great Britain, so that any real GB postcode finds a district.
SCOTTISH_AREAS = "AB DD DG EH FK G HS IV KA KW KY ML PA PH TD ZE"
WELSH_AREAS = "CF LD LL NP SA SY"
NORTH_OF_ENGLAND_AREAS = (
    "BB BD BL CA CH CW DH DL DN FY HD HG HU HX L LA LN LS M NE OL PR S SK SR TS WA WF WN YO"
)
SOUTH_OF_ENGLAND_AREAS = (
    "AL B BA BH BN BR BS CB CM CO CR CT CV DA DE DT DY E EC EN EX GL GU HA HP HR IG IP KT "
    "LE LU ME MK N NG NN NR NW OX PE PL PO RG RH RM SE SG SL SM SN SO SP SS ST SW TA TF TN "
    "TQ TR TW UB W WC WD WR WS WV"
)

DISTRICTS = [
    # name, nation, postcode areas, offices
    (
        "West Yorkshire",
        "england",
        NORTH_OF_ENGLAND_AREAS,
        [("Leeds City", "LS1 4AP"), ("Wakefield", "WF1 1QX")],
    ),
    (
        "London Central",
        "england",
        SOUTH_OF_ENGLAND_AREAS,
        [("Westminster", "SW1P 4DF"), ("Camden", "NW1 2DB")],
    ),
    (
        "South East Wales",
        "wales",
        WELSH_AREAS,
        [("Cardiff Charles Street", "CF10 2SF"), ("Newport", "NP20 1PA")],
    ),
    (
        "Glasgow and the West",
        "scotland",
        SCOTTISH_AREAS,
        [("Glasgow Laurieston", "G5 0PW"), ("Paisley", "PA1 1TW")],
    ),
]

STAFF = [
    # email, name, role, office, phone
    ("lmra@demo.lep.example", "Priya Shah", Role.LMRA, "Leeds City", "0113 496 0001"),
    (
        "lmra.wales@demo.lep.example",
        "Rhys Evans",
        Role.LMRA,
        "Cardiff Charles Street",
        "029 2018 0002",
    ),
    (
        "lmra.scotland@demo.lep.example",
        "Morag Campbell",
        Role.LMRA,
        "Glasgow Laurieston",
        "0141 496 0003",
    ),
    ("lmra.london@demo.lep.example", "Tom Okafor", Role.LMRA, "Westminster", "020 7946 0004"),
    ("dam@demo.lep.example", "David Brennan", Role.DAM, "Leeds City", "0113 496 0005"),
    ("dam.london@demo.lep.example", "Ayesha Khan", Role.DAM, "Westminster", "020 7946 0006"),
    (
        "coordinator@demo.lep.example",
        "Helen Walsh",
        Role.COORDINATOR,
        "Leeds City",
        "0113 496 0007",
    ),
    ("tppm@demo.lep.example", "Gareth Price", Role.TPPM, "Leeds City", "0113 496 0008"),
    ("adviser@demo.lep.example", "Sam Taylor", Role.ADVISER, "Wakefield", "01924 496 009"),
    ("admin@demo.lep.example", "Alex Morgan", Role.ADMIN, "Leeds City", "0113 496 0010"),
]

# A training provider delivering pre-employment training in West Yorkshire, and its user.
PROVIDER = ("Leeds Skills Partnership", "courses@leeds-skills.example", "West Yorkshire")
PROVIDER_USERS = [("provider@demo.lep.example", "Grace Adeyemi", "0113 496 0011")]

EMPLOYERS = [
    # organisation, size, sector, ownership, site, address, town, postcode, users
    (
        "Kirkgate Bakery",
        SizeBand.SME,
        "hospitality",
        Ownership.PRIVATE,
        "Kirkgate shop",
        "12 Kirkgate",
        "Leeds",
        "LS2 7DJ",
        [
            ("sme@demo.lep.example", "Jo Fletcher", MembershipRole.OWNER),
            ("sme.recruiter@demo.lep.example", "Ben Fletcher", MembershipRole.RECRUITER),
        ],
    ),
    # Two more SMEs of the same sector in Leeds: with Kirkgate Bakery they share the demo
    # sector course (app/demo/activity.py).
    (
        "Corn Exchange Café",
        SizeBand.SME,
        "hospitality",
        Ownership.PRIVATE,
        "Corn Exchange",
        "Call Lane",
        "Leeds",
        "LS1 7BR",
        [("sme.cafe@demo.lep.example", "Nadia Rahman", MembershipRole.OWNER)],
    ),
    (
        "Headrow Kitchen",
        SizeBand.SME,
        "hospitality",
        Ownership.PRIVATE,
        "The Headrow",
        "52 The Headrow",
        "Leeds",
        "LS1 8EQ",
        [("sme.kitchen@demo.lep.example", "Owen Pryce", MembershipRole.OWNER)],
    ),
    (
        "Taff Valley Garage",
        SizeBand.SME,
        "other",
        Ownership.PRIVATE,
        "Main workshop",
        "4 Bridge Street",
        "Cardiff",
        "CF11 6AA",
        [("sme.wales@demo.lep.example", "Cerys Morgan", MembershipRole.OWNER)],
    ),
    (
        "Northern Retail Group",
        SizeBand.LARGE,
        "retail",
        Ownership.PRIVATE,
        "Leeds Briggate store",
        "80 Briggate",
        "Leeds",
        "LS1 6LH",
        [("large@demo.lep.example", "Fiona McAllister", MembershipRole.OWNER)],
    ),
    (
        "Clyde Health Board",
        SizeBand.LARGE,
        "health",
        Ownership.PUBLIC,
        "Royal Infirmary",
        "84 Castle Street",
        "Glasgow",
        "G4 0SF",
        [("large.scotland@demo.lep.example", "Iain Stewart", MembershipRole.OWNER)],
    ),
]


def _get_or_add(model, defaults: dict | None = None, **match):
    found = db.session.scalar(select(model).filter_by(**match))
    if found is None:
        found = model(**match, **(defaults or {}))
        db.session.add(found)
        db.session.flush()
    return found


def seed_demo() -> list[tuple[str, str]]:
    """Create what is missing, leave what exists; returns (email, description) for each login."""
    for code, name in NATIONS.items():
        _get_or_add(Nation, {"name": name}, code=code)
    offices: dict[str, Office] = {}
    for name, nation, areas, office_rows in DISTRICTS:
        district = _get_or_add(
            District, {"nation_code": nation, "postcode_areas": areas}, name=name
        )
        for office_name, postcode in office_rows:
            offices[office_name] = _get_or_add(
                Office, {"postcode": postcode}, name=office_name, district_id=district.id
            )
    logins: list[tuple[str, str]] = []
    for email, name, role, office_name, phone in STAFF:
        office = offices[office_name]
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                name=name,
                role=role,
                phone=phone,
                office_id=office.id,
                district_id=office.district_id,
                email_verified_at=utcnow(),
            )
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
        logins.append((email, f"{role.value.upper()}, {office_name}"))
    provider_name, provider_email, provider_district = PROVIDER
    district_id = db.session.scalar(select(District.id).where(District.name == provider_district))
    provider = _get_or_add(
        TrainingProvider,
        {"contact_email": provider_email, "district_id": district_id},
        name=provider_name,
    )
    for email, name, phone in PROVIDER_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                name=name,
                role=Role.PROVIDER,
                phone=phone,
                provider_id=provider.id,
                email_verified_at=utcnow(),
            )
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
        logins.append((email, f"training provider, {provider_name}"))
    for org_name, size, sector, ownership, site_name, address, town, postcode, users in EMPLOYERS:
        from app.accounts.services import district_for_postcode

        organisation = db.session.scalar(select(Organisation).where(Organisation.name == org_name))
        if organisation is None:
            organisation = Organisation(
                name=org_name,
                size_band=size,
                sector=sector,
                ownership=ownership,
                district_id=district_for_postcode(postcode).id,
            )
            db.session.add(organisation)
            db.session.add(
                Site(
                    organisation=organisation,
                    name=site_name,
                    address_line_1=address,
                    town=town,
                    postcode=postcode,
                )
            )
            db.session.flush()
            assign_first_contact(organisation)
        for email, name, membership_role in users:
            user = db.session.scalar(select(User).where(User.email == email))
            if user is None:
                user = User(email=email, name=name, role=Role.EMPLOYER, email_verified_at=utcnow())
                user.set_password(DEMO_PASSWORD)
                db.session.add(user)
                db.session.add(
                    EmployerMembership(user=user, organisation=organisation, role=membership_role)
                )
                db.session.flush()
            logins.append((email, f"employer {membership_role.value}, {org_name}"))
    db.session.flush()
    from app.demo.activity import seed_activity

    seed_activity()
    from app.demo.labour_market import seed_labour_market

    seed_labour_market()
    db.session.commit()
    return logins

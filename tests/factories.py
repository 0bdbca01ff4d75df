"""factory_boy factories for the models; each flushes into the test's transaction."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

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
from app.auth.models import Role, User
from app.extensions import db
from app.models_base import utcnow
from app.pet.models import TrainingProvider

PASSWORD = "correct horse battery staple"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - swapped per test
        sqlalchemy_session_persistence = "flush"


def nation(code: str = "england") -> Nation:
    found = db.session.get(Nation, code)
    if found is None:
        found = Nation(code=code, name=code.title())
        db.session.add(found)
        db.session.flush()
    return found


#: The postcode areas a factory district claims: West Yorkshire's, which the web tests post
#: from. The browser journeys share one live portal with the demo data, whose own West
#: Yorkshire claims them too: there factory districts claim an area nobody posts from, or a
#: vacancy posted in Leeds (or an employer registering there) lands in "District 3".
FACTORY_POSTCODE_AREAS = {"areas": "LS BD WF"}


class DistrictFactory(BaseFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    nation_code = factory.LazyFunction(lambda: nation("england").code)
    postcode_areas = factory.LazyFunction(lambda: FACTORY_POSTCODE_AREAS["areas"])


class OfficeFactory(BaseFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Office {n}")
    district = factory.SubFactory(DistrictFactory)
    postcode = "LS1 4AP"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    phone = "0113 496 0000"
    role = Role.EMPLOYER
    email_verified_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            db.session.flush()  # the new security stamp, before a request reads the row


class StaffFactory(UserFactory):
    role = Role.LMRA
    office = factory.SubFactory(OfficeFactory)
    district = factory.SelfAttribute("office.district")


class TrainingProviderFactory(BaseFactory):
    class Meta:
        model = TrainingProvider

    name = factory.Sequence(lambda n: f"Training Provider {n}")
    contact_email = factory.Sequence(lambda n: f"courses{n}@provider.example")


class ProviderUserFactory(UserFactory):
    role = Role.PROVIDER
    provider = factory.SubFactory(TrainingProviderFactory)


class OrganisationFactory(BaseFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Employer {n} Ltd")
    size_band = SizeBand.SME
    sector = "retail"
    ownership = Ownership.PRIVATE
    district = factory.SubFactory(DistrictFactory)


class SiteFactory(BaseFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Head office"
    address_line_1 = "1 High Street"
    town = "Leeds"
    postcode = "LS1 4AP"


def employer_user(organisation: Organisation | None = None, **kwargs) -> User:
    """An employer user who owns (or recruits for) an organisation with one site."""
    membership_role = kwargs.pop("membership_role", MembershipRole.OWNER)
    organisation = organisation or OrganisationFactory()
    if not organisation.sites:
        SiteFactory(organisation=organisation)
    user = UserFactory(role=Role.EMPLOYER, **kwargs)
    db.session.add(EmployerMembership(user=user, organisation=organisation, role=membership_role))
    db.session.flush()
    return user

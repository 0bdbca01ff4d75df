"""The forms of the LEP Partnership Agreement. A provider's agreement with an employer is the
LMRA's capture form (`AgreementForm`) with the employer to choose; its customers are the
adviser's customer form with consent asked at once; a placement is the start form staff use,
with where the job is."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, Length

from app.agreements.forms import AgreementForm
from app.customers.forms import NewCustomerForm
from app.forms import (
    PortalForm,
    checkbox,
    radio_input,
    required,
    select_input,
    submit_button,
    text_input,
)
from app.outcomes.forms import StartForm
from app.partnerships.rules import MOST_SUBCONTRACTOR_NAME
from app.referrals.forms import ReferErrors, ReferForm

__all__ = ["ReferErrors", "ReferForm"]


def _first(form: PortalForm, name: str) -> None:
    """Put a field a subclass added first: it is first on the page, so it comes first in
    the error summary too."""
    form._fields = {name: form._fields[name]} | {
        key: field for key, field in form._fields.items() if key != name
    }


class OfferForm(PortalForm):
    submit = submit_button(_l("Offer the LEP Partnership Agreement"))


class AcceptForm(PortalForm):
    confirm = checkbox(
        _l("I accept the LEP Partnership Agreement on behalf of my organisation"),
        validators=[
            InputRequired(
                message=_l("Confirm that you accept the agreement on behalf of your organisation")
            )
        ],
    )
    accept = submit_button(_l("Accept the agreement"))


class SubcontractorForm(PortalForm):
    name = text_input(
        _l("Subcontractor's name"),
        required(_l("Enter the subcontractor's name")),
        Length(
            max=MOST_SUBCONTRACTOR_NAME,
            message=_l("Keep the name to 200 characters or fewer"),
        ),
    )
    add = submit_button(_l("Add subcontractor"))


class RemoveForm(PortalForm):
    submit = submit_button(_l("Remove"))


class EmployerAgreementForm(AgreementForm):
    """The LMRA's capture of a verbal agreement, with the employer it was made with."""

    employer = select_input(
        _l("Employer"),
        [],
        required(_l("Select the employer you made the agreement with")),
        description=_l("Employers in the districts your LEP Partnership Agreement covers."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _first(self, "employer")


class ProviderCustomerForm(NewCustomerForm):
    consent = radio_input(
        _l("Has the customer agreed to share their details with employers?"),
        [("yes", _l("Yes, consent given")), ("no", _l("No, not yet"))],
        required(_l("Select whether the customer has given consent")),
        description=_l(
            "Without consent you can keep their record but cannot put them forward to vacancies."
        ),
    )
    district = select_input(
        _l("District"),
        [],
        required(_l("Select the district the customer lives in")),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _first(self, "district")


class ConsentForm(PortalForm):
    given = radio_input(
        _l("Has the customer agreed to share their details with employers?"),
        [("yes", _l("Yes, consent given")), ("no", _l("No, consent withdrawn or refused"))],
        required(_l("Select whether the customer has given consent")),
    )
    submit = submit_button(_l("Save consent"))


class PlacementForm(StartForm):
    where = radio_input(
        _l("Where did they start work?"),
        [],
        required(_l("Select the vacancy or the agreement the job came through")),
    )
    submit = submit_button(_l("Report the placement"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _first(self, "where")

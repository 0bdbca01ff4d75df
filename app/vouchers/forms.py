"""Forms of the recruitment subsidy: the employer's one-step claim, a decision on one claim,
and the DAM's or coordinator's choice of claims to approve together."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectMultipleField

from app.forms import (
    PortalForm,
    checkbox,
    radio_input,
    rejection_reason,
    require_reason,
    required,
    submit_button,
)

APPROVE = "approve"
REJECT = "reject"


class ClaimForm(PortalForm):
    declaration = checkbox(
        _l(
            "I declare that this person started work with us on the date shown, is still "
            "employed by us, and that these details are correct"
        )
    )
    submit = submit_button(_l("Claim the subsidy"))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if not self.declaration.data:
            self.declaration.errors = [_l("Tick the box to declare that the details are correct")]
        return not self.errors


class DecideForm(PortalForm):
    decision = radio_input(
        _l("Do you approve this claim?"),
        [(APPROVE, _l("Approve it")), (REJECT, _l("Reject it"))],
        required(_l("Select approve or reject")),
    )
    reason = rejection_reason()
    submit = submit_button(_l("Save the decision"))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        require_reason(
            self.decision, REJECT, self.reason, _l("Enter the reason for rejecting the claim")
        )
        return not self.errors


class ApproveForm(PortalForm):
    """The claims ticked on the list (checkboxes drawn by the table, named `voucher`), and
    whether this is the confirmation page's answer."""

    voucher = SelectMultipleField(_l("Claims to approve"), choices=[], validate_choice=False)
    confirmed = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if not self.voucher.data:
            self.voucher.errors = [_l("Select at least one claim to approve")]
        return not self.errors

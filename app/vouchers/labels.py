"""The words for a voucher's status, for staff and for the employer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.vouchers.models import VoucherStatus
from app.vouchers.rules import QUALIFYING_WEEKS

STATUS_LABELS = {
    VoucherStatus.ISSUED: _l("Issued"),
    VoucherStatus.CLAIMED: _l("Claimed: waiting for approval"),
    VoucherStatus.APPROVED: _l("Approved: waiting for payment"),
    VoucherStatus.REJECTED: _l("Claim rejected"),
    VoucherStatus.PAID: _l("Paid"),
    VoucherStatus.CANCELLED: _l("Cancelled"),
}

STATUS_TAG_CLASSES = {
    VoucherStatus.ISSUED: "govuk-tag--blue",
    VoucherStatus.CLAIMED: "govuk-tag--yellow",
    VoucherStatus.APPROVED: "govuk-tag--turquoise",
    VoucherStatus.REJECTED: "govuk-tag--red",
    VoucherStatus.PAID: "govuk-tag--green",
    VoucherStatus.CANCELLED: "govuk-tag--grey",
}

#: What each step of the audit trail says happened.
EVENT_LABELS = {
    VoucherStatus.ISSUED: _l("Voucher issued"),
    VoucherStatus.CLAIMED: _l("Claimed"),
    VoucherStatus.APPROVED: _l("Claim approved"),
    VoucherStatus.REJECTED: _l("Claim rejected"),
    VoucherStatus.PAID: _l("Paid"),
    VoucherStatus.CANCELLED: _l("Voucher cancelled: the start was not counted"),
}


def template_context() -> dict:
    """What every voucher template may use."""
    return {
        "voucher_status_labels": STATUS_LABELS,
        "voucher_tag_classes": STATUS_TAG_CLASSES,
        "voucher_event_labels": EVENT_LABELS,
        "qualifying_weeks": QUALIFYING_WEEKS,
    }

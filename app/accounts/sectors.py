"""Sectors: the routeway sectors of pre-employment training plus the other common ones."""

from flask_babel import lazy_gettext as _l

SECTORS: dict[str, object] = {
    "retail": _l("Retail"),
    "hospitality": _l("Hospitality"),
    "warehousing": _l("Warehousing and logistics"),
    "health": _l("Health"),
    "social_care": _l("Social care"),
    "construction": _l("Construction"),
    "security": _l("Security"),
    "contact_centres": _l("Customer service and contact centres"),
    "passenger_transport": _l("Passenger transport"),
    "manufacturing": _l("Manufacturing"),
    "public_administration": _l("Public administration"),
    "cleaning": _l("Cleaning and facilities"),
    "other": _l("Other"),
}

SECTOR_CHOICES = list(SECTORS.items())

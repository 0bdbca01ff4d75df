"""The place the local labour market figures cover: a GET form, so a view can be bookmarked."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.forms import PortalForm, select_input


class PlaceForm(PortalForm):
    """A nation or a district, from the places the user may see (set by the view). The view
    checks the answer against them, with its own message."""

    class Meta:
        csrf = False

    place = select_input(_l("Nation or district"), [], validate_choice=False)

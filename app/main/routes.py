"""The home page for each kind of user, and the service's information pages."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.accounts.queries import load_organisation
from app.auth.models import Role
from app.main import bp
from app.main.panels import home_panels
from app.policy import allow


@bp.route("/")
@allow("everyone")
def home():
    if not current_user.is_authenticated:
        return render_template("main/start.html")
    if current_user.role is Role.EMPLOYER:
        load_organisation(current_user)  # for every panel and the header, once
    panels = home_panels(current_user)
    if current_user.is_staff:
        return render_template("main/staff_home.html", panels=panels)
    if current_user.role is Role.PROVIDER:
        return render_template("main/provider_home.html", panels=panels)
    return render_template(
        "main/employer_home.html", organisation=current_user.organisation, panels=panels
    )


@bp.route("/accessibility")
@allow("everyone")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/privacy")
@allow("everyone")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/cookies")
@allow("everyone")
def cookies():
    return render_template("main/cookies.html")

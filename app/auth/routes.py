"""Registration, email verification, sign in and out, password reset and staff invitations."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import services
from app.auth.forms import (
    ForgotPasswordForm,
    NewPasswordForm,
    RegistrationForm,
    ResendVerificationForm,
    SignInForm,
)
from app.auth.rules import safe_next_url
from app.auth.tokens import user_for_token
from app.extensions import db, limiter
from app.forms import clean_text
from app.policy import allow

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _email_key() -> str:
    return "sign-in:" + (request.form.get("email", "") or "").strip().lower()[:254]


def _home():
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@allow("everyone")
@limiter.limit(_sign_in_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return _home()
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            services.register_employer(
                services.Registration(
                    organisation_name=form.organisation_name.data,
                    size_band=form.size_band.data,
                    sector=form.sector.data,
                    ownership=form.ownership.data,
                    site_name=form.site_name.data or "",
                    address_line_1=form.address_line_1.data,
                    town=form.town.data,
                    postcode=form.postcode.data,
                    contact_name=form.contact_name.data,
                    phone=form.phone.data or "",
                    email=form.email.data,
                    password=form.password.data,
                    language=form.language.data,
                )
            )
        except services.RegistrationRefused as refusal:
            getattr(form, refusal.field).errors.append(refusal.message)
        else:
            return redirect(url_for("auth.check_email", email=form.email.data))
    return render_template("auth/register.html", form=form)


@bp.route("/register/check-your-email")
@allow("everyone")
def check_email():
    email = (clean_text(request.args.get("email")) or "")[:254]
    return render_template("auth/check_email.html", email=email, form=ResendVerificationForm())


@bp.route("/register/resend-link", methods=["POST"])
@allow("everyone")
@limiter.limit(_sign_in_limit)
def resend_verification():
    form = ResendVerificationForm()
    if form.validate_on_submit():
        user = services.user_by_email(form.email.data)
        if user is not None and user.email_verified_at is None:
            services.send_verification_email(user)
            db.session.commit()
        flash(_("If that address has an account waiting, we have sent a new link."))
        return redirect(url_for("auth.check_email", email=form.email.data))
    return render_template("auth/check_email.html", email="", form=form)


@bp.route("/verify-email/<token>")
@allow("everyone")
def verify_email(token: str):
    user = user_for_token(token, "verify-email", current_app.config["EMAIL_TOKEN_MAX_AGE"])
    if user is None:
        return render_template("auth/link_expired.html", form=ResendVerificationForm()), 400
    services.verify_email(user)
    flash(_("Your email address is confirmed. Sign in to continue."))
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in", methods=["GET", "POST"])
@allow("everyone")
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], key_func=_email_key)
def sign_in():
    if current_user.is_authenticated:
        return _home()
    form = SignInForm()
    unverified = False
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.email.errors.append(_("Enter a correct email address and password"))
        elif user.email_verified_at is None:
            unverified = True
        else:
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/sign_in.html", form=form, unverified=unverified)


@bp.route("/sign-out", methods=["POST"])
@allow("signed_in")
def sign_out():
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@allow("everyone")
@limiter.limit(_sign_in_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


def _new_password_page(token: str, purpose: str, max_age_key: str, template: str, done: str):
    user = user_for_token(token, purpose, current_app.config[max_age_key])
    if user is None:
        return render_template("auth/link_expired.html", form=ResendVerificationForm()), 400
    form = NewPasswordForm(email=user.email, name=user.name)
    if form.validate_on_submit():
        services.set_new_password(user, form.password.data)
        logout_user()
        flash(done)
        return redirect(url_for("auth.sign_in"))
    return render_template(template, form=form, user=user)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@allow("everyone")
def reset_password(token: str):
    return _new_password_page(
        token,
        "reset-password",
        "EMAIL_TOKEN_MAX_AGE",
        "auth/reset_password.html",
        _("Your password has been changed. Sign in with your new password."),
    )


@bp.route("/accept-invitation/<token>", methods=["GET", "POST"])
@allow("everyone")
def accept_invitation(token: str):
    return _new_password_page(
        token,
        "invitation",
        "INVITATION_TOKEN_MAX_AGE",
        "auth/accept_invitation.html",
        _("Your password is set. Sign in to start using the portal."),
    )

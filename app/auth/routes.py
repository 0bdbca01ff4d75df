"""Registration, email verification, sign in and out, password reset and staff invitations."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.auth import bp, services, sessions, throttle
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


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _recipient_limit() -> str:
    return current_app.config["EMAILS_PER_RECIPIENT_LIMIT"]


def _recipient_key() -> str:
    return throttle.recipient_key(request.form.get("email", "") or "")


def _no_recipient() -> bool:
    # A form without an address sends nothing: its error message is not rate limited.
    return not (request.form.get("email", "") or "").strip()


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
@limiter.limit(_recipient_limit, key_func=_recipient_key, exempt_when=_no_recipient)
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
def sign_in():
    """Limited per address on the route; per account in `throttle`, which explains why a
    right password is never refused because of other people's wrong ones."""
    if current_user.is_authenticated:
        return _home()
    form = SignInForm()
    unverified = False
    if form.validate_on_submit():
        if throttle.account_is_guarded(form.email.data):
            # The password is not checked, so this answer is the same whether it was right.
            form.email.errors.append(
                _(
                    "There have been too many attempts to sign in to this account. "
                    "Reset your password to sign in now, or try again later"
                )
            )
            return render_template("auth/sign_in.html", form=form, guarded=True), 429
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.record_failure(form.email.data)
            form.email.errors.append(_("Enter a correct email address and password"))
        elif user.email_verified_at is None:
            unverified = True
        else:
            login_user(user)
            sessions.start()
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/sign_in.html", form=form, unverified=unverified)


@bp.route("/sign-out", methods=["POST"])
@allow("signed_in")
def sign_out():
    """Ends this session and every copy of it, and any other session of this person: a
    copied cookie names a session generation that has passed."""
    services.end_every_session(current_user)
    sessions.end()
    response = redirect(url_for("auth.signed_out"))
    # The browser forgets this site's cookies and storage too. A flash message would be
    # in a cookie the browser is told to forget, so the next page says it instead.
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@bp.route("/signed-out")
@allow("everyone")
def signed_out():
    """After signing out, or where the timeout warning sends someone who did not answer."""
    timed_out = request.args.get("reason") == "timeout"
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        # The session is still alive (used in another tab meanwhile): carry on.
        return redirect(next_url or url_for("main.home"))
    session.pop("_flashes", None)  # the page itself says why: no second banner
    return render_template(
        "auth/signed_out.html",
        timed_out=timed_out,
        sign_in_url=url_for("auth.sign_in", next=next_url),
        idle_minutes=current_app.config["SESSION_IDLE_MINUTES"],
    )


@bp.route("/session/remaining")
@allow("everyone")
def session_remaining():
    """Seconds until this session ends, for the timeout warning. Asking does not count as
    activity, so a tab left open cannot keep a session alive by itself."""
    seconds = int(sessions.seconds_left()) if current_user.is_authenticated else 0
    response = jsonify(seconds=seconds)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/session/keep-alive", methods=["POST"])
@allow("signed_in")
def keep_alive():
    """The timeout warning's "Stay signed in": this request itself counts as activity.
    The warning asks for JSON in the background; the form posted plainly goes home."""
    if request.accept_mimetypes.best != "application/json":
        return _home()
    response = jsonify(seconds=int(sessions.seconds_left()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/forgot-password", methods=["GET", "POST"])
@allow("everyone")
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(
    _recipient_limit, methods=["POST"], key_func=_recipient_key, exempt_when=_no_recipient
)
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
        # Following the emailed link proves the mailbox: lift any guard on signing in.
        throttle.clear_failures(user.email)
        sessions.end()
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

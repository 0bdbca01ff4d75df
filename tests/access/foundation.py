"""Access rows for the foundation: information pages, sign-in, accounts and admin."""

from tests.access.core import EMPLOYER, EVERYONE, SIGNED_IN, STAFF, Route, fixed

ROUTES: dict[str, Route] = {
    "main.home": Route("GET", fixed("/"), EVERYONE),
    "main.accessibility": Route("GET", fixed("/accessibility"), EVERYONE),
    "main.privacy": Route("GET", fixed("/privacy"), EVERYONE),
    "main.cookies": Route("GET", fixed("/cookies"), EVERYONE),
    "auth.register": Route("GET", fixed("/register"), EVERYONE),
    "auth.check_email": Route("GET", fixed("/register/check-your-email"), EVERYONE),
    "auth.resend_verification": Route("POST", fixed("/register/resend-link"), EVERYONE),
    "auth.verify_email": Route("GET", fixed("/verify-email/not-a-token"), EVERYONE),
    "auth.sign_in": Route("GET", fixed("/sign-in"), EVERYONE),
    "auth.sign_out": Route("POST", fixed("/sign-out"), SIGNED_IN),
    "auth.signed_out": Route("GET", fixed("/signed-out"), EVERYONE),
    "auth.session_remaining": Route("GET", fixed("/session/remaining"), EVERYONE),
    "auth.keep_alive": Route("POST", fixed("/session/keep-alive"), SIGNED_IN),
    "auth.forgot_password": Route("GET", fixed("/forgot-password"), EVERYONE),
    "auth.reset_password": Route("GET", fixed("/reset-password/not-a-token"), EVERYONE),
    "auth.accept_invitation": Route("GET", fixed("/accept-invitation/not-a-token"), EVERYONE),
    "accounts.organisation": Route("GET", fixed("/organisation"), EMPLOYER),
    "accounts.search": Route("GET", fixed("/accounts"), STAFF),
    "accounts.account": Route("GET", lambda w: f"/accounts/{w.organisation.id}", STAFF),
    "accounts.change_contact": Route(
        "GET",
        lambda w: f"/accounts/{w.organisation.id}/change-contact",
        frozenset({"dam", "coordinator", "admin"}),
    ),
    "admin.staff": Route("GET", fixed("/admin/staff"), frozenset({"admin"})),
    "admin.invite": Route("GET", fixed("/admin/staff/invite"), frozenset({"admin"})),
}


def build(world) -> None:
    """The foundation's routes need nothing beyond the world's organisation."""

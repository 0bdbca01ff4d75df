"""The LEP Employer Portal: an app factory that binds extensions and one blueprint per area."""

from __future__ import annotations

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from config import BASE_DIR, Config, config_for, configure_logging


def create_app(config: type[Config] | str | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object(config if isinstance(config, type) else config_for(config))
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set")
    configure_logging(app.config)

    _templates(app)
    _extensions(app)
    _blueprints(app)

    from app import assets, errors, formatting, i18n, request_log, security, warm_up

    assets.register(app)
    errors.register(app)
    formatting.register(app)
    i18n.register(app)
    request_log.register(app)
    security.register(app)
    warm_up.register(app)

    from app import api

    api.register(app)  # after errors.register: it answers API paths with problem details

    from app.mail.sender import start_in_process_sender

    start_in_process_sender(app)
    return app


def _templates(app: Flask) -> None:
    from app import templating

    templating.register(app)
    # GOV.UK macros load from their packages under their own prefixes, the app's own
    # templates first (the LandRegistry govuk-frontend-flask arrangement).
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(BASE_DIR / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    if app.config.get("STRICT_UNDEFINED"):
        from app.undefined import PortalUndefined

        app.jinja_env.undefined = PortalUndefined
    WTFormsHelpers(app)

    from app.forms import translate_widget_defaults

    translate_widget_defaults()

    from app.accounts.sectors import SECTORS

    app.jinja_env.globals["sectors"] = SECTORS

    from app.agreements.labels import CHANNEL_LABELS, MEASURE_LABELS

    app.jinja_env.globals["measure_labels"] = MEASURE_LABELS
    app.jinja_env.globals["channel_labels"] = CHANNEL_LABELS

    from app.chrome import chrome

    app.jinja_env.globals["chrome"] = chrome


def _extensions(app: Flask) -> None:
    from app.extensions import babel, csrf, db, htmx, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    from app.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = app.config["SESSION_PROTECTION"]
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None

    from app import models  # noqa: F401 - every model registered before anything queries

    with app.app_context():
        _configure_sqlite(db.engine)

    from app.auth.services import load_user

    login_manager.user_loader(load_user)

    from app import policy
    from app.auth import sessions

    # Before the access check: a session past its time is ended first, so the check sees
    # an anonymous visitor and sends them to sign in, coming back afterwards.
    sessions.register(app)
    app.before_request(policy.enforce)


def _blueprints(app: Flask) -> None:
    """Each area's package holds its blueprint and a `register` that adds its views."""
    from app import (
        accounts,
        admin,
        agreements,
        auth,
        callbacks,
        customers,
        demo,
        guarantees,
        lmi,
        mail,
        main,
        outcomes,
        partnerships,
        pet,
        referrals,
        reports,
        users,
        vacancies,
        vouchers,
    )

    for area in (
        main,
        auth,
        accounts,
        admin,
        vacancies,
        callbacks,
        agreements,
        customers,
        referrals,
        guarantees,
        outcomes,
        vouchers,
        pet,
        partnerships,
        reports,
        lmi,
        mail,
        demo,
        users,
    ):
        area.register(app)


def _configure_sqlite(engine) -> None:
    """Make SQLite behave like PostgreSQL where it matters: foreign keys, real savepoints,
    and requests that wait for each other instead of failing.

    `make run` serves threads that share one database file. A transaction that reads and
    then writes (a save followed by its audit entry, a page that records who looked at
    whom) began DEFERRED: if another request wrote in between, SQLite refuses the upgrade
    to a write at once with "database is locked", whatever the busy timeout, since waiting
    could deadlock. So every transaction begins IMMEDIATE (takes the write lock up front and
    waits for it, up to the busy timeout), and a file database runs in WAL mode, where
    reading never blocks on a writer. Django 5.1 and Rails 7.1 made the same choice."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
        # SAVEPOINTs work (the SQLAlchemy documentation's pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


#: How long a SQLite request waits for another's write to finish before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15_000

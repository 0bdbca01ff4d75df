"""Configuration for each environment.

Everything a deployer sets is an environment variable; the README lists them. Development and
tests have safe defaults; production refuses to start without its secrets.
"""

from __future__ import annotations

import logging
import logging.config
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent


def database_url(url: str) -> str:
    """Use the psycopg 3 driver for a plain `postgresql://` URL, as hosting platforms give."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def production_engine_options(url: str) -> dict:
    """Per process: at least as many connections as gunicorn threads, so that no thread
    waits for one. A thread that still has to wait gives up after `pool_timeout` with the
    503 page, well inside gunicorn's 30-second worker timeout; so does a connection attempt
    to a database host that does not answer (`connect_timeout`, PostgreSQL only)."""
    options: dict = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5, "pool_timeout": 10}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5}
    return options


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """The `logging.config.dictConfig` for the portal's processes: "json" gives one JSON
    object per line (production, read by a log platform), "text" a plain line (development);
    both carry the request id (`app.request_log`)."""
    formatters: dict[str, dict[str, Any]] = {
        "json": {"()": "app.request_log.JsonLinesFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "app.request_log.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
    }


def configure_logging(config: Mapping[str, Any]) -> None:
    """Set up logging as the app's LOG_FORMAT says. Like `basicConfig`, it leaves alone a
    process whose root logger already has handlers (pytest's capture, a host's own
    configuration); LOG_FORMAT None leaves logging alone altogether."""
    if config.get("LOG_FORMAT") and not logging.getLogger().handlers:
        logging.config.dictConfig(logging_config(config["LOG_FORMAT"], config["LOG_LEVEL"]))


class Config:
    SERVICE_NAME = "LEP Employer Portal"
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'portal.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_PROTECTION = "strong"
    # Production recounts the MI rollups on a schedule (`flask rollups refresh`); True makes
    # the MI pages recount the days writes marked before they read (development, tests).
    ROLLUPS_REFRESH_ON_READ = False
    # Sessions end after 30 minutes without a request and 8 hours after signing in, whatever
    # happens in between. The GDS and DWP timeout patterns put the idle limit at 20 to 30
    # minutes with a warning at least 2 minutes before; OWASP's Session Management Cheat
    # Sheet puts an absolute limit for office work at 4 to 8 hours (one working day).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "8"))
    SESSION_WARNING_SECONDS = 120
    # Flask checks the signature's age too: no signed cookie outlives a session.
    PERMANENT_SESSION_LIFETIME = 60 * 60 * int(os.environ.get("SESSION_ABSOLUTE_HOURS", "8"))
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4
    # Working days an employer has to offer a guaranteed interview or say why not (the
    # call-back's clock). README "Guaranteed interviews" says why ten.
    GUARANTEE_WORKING_DAYS = int(os.environ.get("GUARANTEE_WORKING_DAYS", "10"))
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    # Flask-Limiter: memory for one process, redis://127.0.0.1:6379 when several run.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Keeps this portal's counters apart from anything else in the same Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "lep-portal")
    RATELIMIT_HEADERS_ENABLED = True
    # Redis unreachable: count in this process and log a warning rather than answer 500;
    # Flask-Limiter goes back to Redis by itself when it answers again. A host that drops
    # packets must not hold a request for longer than a second either.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Every attempt from one address, on sign-in, registration and the forms that email.
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute;50 per hour")
    # Wrong passwords for one account from anywhere. Beyond it, sign-in for that account
    # asks for the emailed password reset instead, whatever the password (see auth/throttle.py).
    SIGN_IN_ACCOUNT_FAILURE_LIMIT = os.environ.get(
        "SIGN_IN_ACCOUNT_FAILURE_LIMIT", "20 per hour;100 per day"
    )
    # Emails to one address (password reset, a new verification link), from anywhere.
    EMAILS_PER_RECIPIENT_LIMIT = os.environ.get(
        "EMAILS_PER_RECIPIENT_LIMIT", "3 per hour;10 per day"
    )
    # How many proxies in front of the app set X-Forwarded-For and X-Forwarded-Proto: the
    # load balancer is 1. Left at 0 the headers are ignored (anyone could forge them).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Requests each API key may make (Flask-Limiter syntax), counted in the same store.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute;5000 per hour")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "false").lower() == "true"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "noreply@lep-portal.example")
    # "smtp" sends through MAIL_SERVER; "console" prints each message (development).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    # Deliver the outbox straight after each request (development only; production runs
    # `flask mail send` from a scheduler).
    MAIL_SEND_AFTER_REQUEST = False
    # A background thread in each app process that delivers the outbox every few seconds,
    # for a single-process deployment without a scheduler. Off by default.
    MAIL_SEND_IN_PROCESS = os.environ.get("MAIL_SEND_IN_PROCESS", "false").lower() == "true"
    # Links in emails must be absolute; requests are not available in background commands.
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    EMAIL_TOKEN_MAX_AGE = 60 * 60 * 24  # a day for verification and password reset
    INVITATION_TOKEN_MAX_AGE = 60 * 60 * 24 * 7  # a week for staff invitations
    HSTS = False
    STRICT_UNDEFINED = True
    # "text" or "json" (see logging_config); LOG_LEVEL as Python's logging names them.
    LOG_FORMAT: str | None = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_SEND_AFTER_REQUEST = True
    # No scheduler in development: the MI pages recount what writes marked as they read.
    ROLLUPS_REFRESH_ON_READ = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    # Tests sign in by writing the session directly; "strong" is tested on its own.
    SESSION_PROTECTION = "basic"
    MAIL_BACKEND = "memory"
    # Tests see their writes in the figures at once; tests/web/test_rollups.py turns it off.
    ROLLUPS_REFRESH_ON_READ = True
    # Hashing is slow on purpose; tests create many users.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = "localhost"
    PORTAL_BASE_URL = "http://localhost"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    HSTS = True
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    # Freeze the warm heap out of the collector's full passes (app/warm_up.py).
    GC_FREEZE_AFTER_REQUESTS = int(os.environ.get("GC_FREEZE_AFTER_REQUESTS", "50"))
    SQLALCHEMY_ENGINE_OPTIONS = production_engine_options(Config.SQLALCHEMY_DATABASE_URI)

    @classmethod
    def check(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration needs these environment variables: " + ", ".join(missing)
            )
        if cls.RATELIMIT_STORAGE_URI.startswith("memory://"):
            # A process cannot tell whether it is the only one, so this warns rather than
            # refuses: with several gunicorn workers or instances each keeps its own
            # counters, and the sign-in limit is multiplied by their number.
            logging.getLogger(__name__).warning(
                "RATELIMIT_STORAGE_URI is memory://: rate limits hold only within one "
                "process. Set it to a redis:// URL when more than one process serves the "
                "portal."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    """The configuration class named by `name` or the APP_ENV variable (default development)."""
    name = name or os.environ.get("APP_ENV", "development")
    try:
        config = CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
    if config is ProductionConfig:
        ProductionConfig.check()
    return config

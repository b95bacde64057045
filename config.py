"""Configuration classes, read from environment variables.

`create_app()` picks a class from `DDCHECK_ENV` (development, production, testing); every
setting can be overridden by the environment variable of the same name.
"""

from __future__ import annotations

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-secret-change-me"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL addresses given in the usual short forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Settings shared by every environment; safe defaults for development."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means: an SQLite file in the instance folder (resolved in create_app).
    SQLALCHEMY_DATABASE_URI = (
        normalise_database_url(os.environ["DATABASE_URL"])
        if os.environ.get("DATABASE_URL")
        else None
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Content: the folder of questionnaire files; an organisation may point it at its own.
    QUESTIONNAIRES_DIR = os.environ.get("QUESTIONNAIRES_DIR")

    # Interface languages; a catalogue for each but English lives in app/translations.
    LANGUAGES = ["en", "ru", "fr", "de"]
    BABEL_DEFAULT_LOCALE = "en"

    # Cookies: HttpOnly and SameSite=Lax always; Secure when served over HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Only workshop teams' sessions are permanent (signed-in users have the remember cookie):
    # a team returning days later to see its result still finds its team.
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    # ...counted from joining: a team's cookie is not signed and sent again with every answer.
    SESSION_REFRESH_EACH_REQUEST = False

    # A session unused this long ends (0: never), unless "keep me signed in" was ticked.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
    # Werkzeug's password hashing method (tests use a fast one).
    PASSWORD_HASH_METHOD = "scrypt"

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # Throttling (sign-in, workshop joins). With several workers, point the storage at a shared
    # backend (redis://host:6379) or each worker counts on its own; REDIS_URL is the default.
    RATELIMIT_STORAGE_URI = (
        os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"
    )
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # Failed sign-ins allowed before waiting; then the wait starts at SIGNIN_BACKOFF_SECONDS and
    # doubles with each further failure, up to SIGNIN_BACKOFF_MAX_SECONDS.
    SIGNIN_FREE_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGNIN_FREE_FAILURES_PER_ACCOUNT", "5"))
    SIGNIN_FREE_FAILURES_PER_ADDRESS = int(os.environ.get("SIGNIN_FREE_FAILURES_PER_ADDRESS", "30"))
    SIGNIN_BACKOFF_SECONDS = int(os.environ.get("SIGNIN_BACKOFF_SECONDS", "30"))
    SIGNIN_BACKOFF_MAX_SECONDS = int(os.environ.get("SIGNIN_BACKOFF_MAX_SECONDS", "900"))
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Joining a workshop: failed attempts per address, all attempts per join code.
    WORKSHOP_JOIN_LIMIT_PER_ADDRESS = os.environ.get(
        "WORKSHOP_JOIN_LIMIT_PER_ADDRESS", "20 per 10 minutes"
    )
    WORKSHOP_JOIN_LIMIT_PER_CODE = os.environ.get(
        "WORKSHOP_JOIN_LIMIT_PER_CODE", "1000 per 10 minutes"
    )

    COLLEAGUE_INVITATION_DAYS = int(os.environ.get("COLLEAGUE_INVITATION_DAYS", "7"))
    # How long the link that finishes registration works, and a password reset link.
    REGISTRATION_LINK_HOURS = int(os.environ.get("REGISTRATION_LINK_HOURS", "24"))
    PASSWORD_RESET_LINK_MINUTES = int(os.environ.get("PASSWORD_RESET_LINK_MINUTES", "60"))
    # Registration and password reset forms mail any address typed: accepted forms per client
    # address, and per address typed (both forms together).
    ACCOUNT_MAIL_LIMIT_PER_ADDRESS = os.environ.get("ACCOUNT_MAIL_LIMIT_PER_ADDRESS", "20 per hour")
    ACCOUNT_MAIL_LIMIT_PER_EMAIL = os.environ.get("ACCOUNT_MAIL_LIMIT_PER_EMAIL", "5 per hour")
    # How long a contractor's invitation link works; a reminder issues a fresh one.
    CONTRACTOR_INVITATION_DAYS = int(os.environ.get("CONTRACTOR_INVITATION_DAYS", "60"))

    # Operations: LOG_FORMAT=json writes one JSON object per log line, with the request id;
    # REDIS_URL (when set) is checked by /readyz.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    REDIS_URL = os.environ.get("REDIS_URL")

    # Rendered reports are kept here (default: report-cache in the instance folder); with
    # several servers, one volume that every web server and worker shares.
    REPORT_CACHE_DIR = os.environ.get("REPORT_CACHE_DIR")
    # With REDIS_URL, reports are rendered by workers (`flask worker`) from this RQ queue; a
    # render taking longer than the timeout (seconds) is stopped, a failed one is retried.
    REPORT_QUEUE = os.environ.get("REPORT_QUEUE", "ddcheck-reports")
    REPORT_JOB_TIMEOUT = int(os.environ.get("REPORT_JOB_TIMEOUT", "300"))
    REPORT_JOB_RETRIES = int(os.environ.get("REPORT_JOB_RETRIES", "2"))
    # The workshop group report prints each team's answers up to this many teams; beyond,
    # it points to the answers file (CSV) instead of a book of hundreds of pages.
    GROUP_REPORT_TEAM_PAGES_MAX = int(os.environ.get("GROUP_REPORT_TEAM_PAGES_MAX", "30"))
    # A worker renders at this CPU priority (nice 0-19): on a machine it shares with the web
    # server, a render takes the CPU that answers leave, and never delays an answer's save.
    REPORT_WORKER_NICE = int(os.environ.get("REPORT_WORKER_NICE", "10"))
    # After a change (submitted, reviewed, action plan), the report is rendered ahead of its
    # download this many seconds later: further changes meanwhile make one render, not many.
    REPORT_PRERENDER_DELAY = int(os.environ.get("REPORT_PRERENDER_DELAY", "30"))
    # Evidence (documents attached to answers): stored under the sha256 of their content in
    # EVIDENCE_DIR (default: `evidence` in the instance folder; with several servers, one
    # shared volume), never under app/static. Limits per document and per assessment, in bytes.
    EVIDENCE_STORAGE = os.environ.get("EVIDENCE_STORAGE", "local")
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR")
    EVIDENCE_QUARANTINE_DIR = os.environ.get("EVIDENCE_QUARANTINE_DIR")
    EVIDENCE_MAX_FILE_BYTES = int(os.environ.get("EVIDENCE_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
    EVIDENCE_MAX_ASSESSMENT_BYTES = int(
        os.environ.get("EVIDENCE_MAX_ASSESSMENT_BYTES", str(200 * 1024 * 1024))
    )
    # A virus scanner for uploads: ClamAV's daemon on a Unix socket or at host:port (optional).
    CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET")
    CLAMD_HOST = os.environ.get("CLAMD_HOST")
    CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
    # Mail is optional: without MAIL_SERVER, invitation links are shown on screen to pass on by
    # hand, and in development every message is written to the log (see app/mail.py).
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "ddcheck@localhost")

    # Bootstrap-Flask serves Bootstrap from the package itself: no CDN.
    BOOTSTRAP_SERVE_LOCAL = True


class DevelopmentConfig(Config):
    """Local use: `make run`."""

    DEBUG = False


class ProductionConfig(Config):
    """Production: refuses to start without a real SECRET_KEY (checked in create_app)."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestingConfig(Config):
    """The test suite: a database chosen by TEST_DATABASE_URL, SQLite otherwise."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = (
        normalise_database_url(os.environ["TEST_DATABASE_URL"])
        if os.environ.get("TEST_DATABASE_URL")
        else None
    )
    RATELIMIT_ENABLED = True
    MAIL_SERVER = None
    # Reports render in-process and throttling counts in memory unless a test names a Redis;
    # a queued render starts at once.
    REDIS_URL = None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    REPORT_PRERENDER_DELAY = 0
    # Hashing stays cheap so that the suite is fast; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def default_env_name() -> str:
    """Production, unless started by the `flask` command line (`flask run`, `make run`)."""
    return "development" if os.environ.get("FLASK_RUN_FROM_CLI") == "true" else "production"


def config_from_env() -> type[Config]:
    """The configuration class named by DDCHECK_ENV (default: see default_env_name)."""
    name = (os.environ.get("DDCHECK_ENV") or default_env_name()).strip().lower()
    if name not in CONFIGS:
        raise SystemExit(f"DDCHECK_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
    return CONFIGS[name]

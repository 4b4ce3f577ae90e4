"""Configuration classes, read from the environment.

`APP_ENV` picks the class (development, testing, production); `DATABASE_URL`
selects PostgreSQL, otherwise an SQLite file in the instance folder is used.
"""

from __future__ import annotations

import datetime as dt
import os

from coprod_match.vocabulary import LOCAL_TIME_ZONE_NAME, UI_LOCALES


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float_env(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class BaseConfig:
    APP_ENV = "development"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    # None means: SQLite file `coprod_match.sqlite3` in the instance folder (set in create_app).
    SQLALCHEMY_DATABASE_URI: str | None = (
        normalise_database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = UI_LOCALES[0]
    BABEL_DEFAULT_TIMEZONE = LOCAL_TIME_ZONE_NAME
    BABEL_TRANSLATION_DIRECTORIES = os.path.join(os.path.dirname(__file__), "translations")
    LANGUAGES = UI_LOCALES

    WTF_CSRF_TIME_LIMIT = 3600 * 8
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_PATH = "/"
    REMEMBER_COOKIE_HTTPONLY = True
    # Logins are rows (services/sessions.py): a normal one ends after this many hours, or after
    # this many minutes without use; "stay logged in" (citizens only) after this many days (30 at most).
    LOGIN_SESSION_HOURS = _int_env("LOGIN_SESSION_HOURS", 12)
    LOGIN_SESSION_IDLE_MINUTES = _int_env("LOGIN_SESSION_IDLE_MINUTES", 30)
    REMEMBER_ME_DAYS = min(_int_env("REMEMBER_ME_DAYS", 30), 30)
    # How long a remembered login's cookie is kept by the browser (the row decides whether it works).
    PERMANENT_SESSION_LIFETIME = dt.timedelta(days=REMEMBER_ME_DAYS)
    # How often the scheduler removes logins that ended by time.
    LOGIN_SESSION_CLEANUP_SECONDS = _int_env("LOGIN_SESSION_CLEANUP_SECONDS", 3600)

    # Mail: "smtp" sends through the server below; "log" writes mails to the log, readable, and
    # keeps each as an .eml file in MAIL_LOG_FOLDER (default instance/mail; development).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_LOG_FOLDER = os.environ.get("MAIL_LOG_FOLDER")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int_env("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "coprod-match <no-reply@localhost>")
    MAIL_TIMEOUT = 10
    # The outbox (coprod_match/outbox.py): how often the scheduler sends waiting mails, the first
    # wait before a retry (doubled each time, at most MAIL_RETRY_MAX_SECONDS), and the tries before giving up.
    MAIL_OUTBOX_POLL_SECONDS = _int_env("MAIL_OUTBOX_POLL_SECONDS", 30)
    MAIL_RETRY_SECONDS = _int_env("MAIL_RETRY_SECONDS", 60)
    MAIL_RETRY_MAX_SECONDS = _int_env("MAIL_RETRY_MAX_SECONDS", 3600)
    MAIL_MAX_ATTEMPTS = _int_env("MAIL_MAX_ATTEMPTS", 10)
    # Sent and failed rows are removed after this many days (the run log keeps the counts).
    MAIL_OUTBOX_KEEP_DAYS = _int_env("MAIL_OUTBOX_KEEP_DAYS", 30)

    # Where the site lives: every absolute link (in mails above all) is made from it.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Development only (see DevelopmentConfig): links made in a request use the request's address.
    PUBLIC_BASE_URL_FROM_REQUEST = False

    # Continuity monitoring: thresholds of the alert rules and the scheduled jobs.
    # How often the scheduler scans (seconds; runs are aligned to multiples of it).
    CONTINUITY_SCAN_INTERVAL_SECONDS = _int_env("CONTINUITY_SCAN_INTERVAL_SECONDS", 3600)
    # An end date this many days away or closer raises "ends soon".
    CONTINUITY_ENDING_SOON_DAYS = _int_env("CONTINUITY_ENDING_SOON_DAYS", 30)
    # An active volunteer with no activity or check-in for this many weeks raises "not seen".
    CONTINUITY_INACTIVE_WEEKS = _int_env("CONTINUITY_INACTIVE_WEEKS", 8)
    # Burnout caps for every volunteer, on top of their own limits.
    CONTINUITY_MAX_INITIATIVES_CAP = _int_env("CONTINUITY_MAX_INITIATIVES_CAP", 4)
    CONTINUITY_MAX_HOURS_CAP = _int_env("CONTINUITY_MAX_HOURS_CAP", 16)
    # Monthly check-ins (docs/continuity.md), on the five-point scales (1 = not at all, 5 = very much):
    # "It is too much for me" at or above this in two answers in a row raises "volunteer under strain";
    CONTINUITY_STRAIN_HIGH = _int_env("CONTINUITY_STRAIN_HIGH", 4)
    # and so does "appreciated" or "supported" at or below this in two answers in a row;
    CONTINUITY_STRAIN_LOW = _int_env("CONTINUITY_STRAIN_LOW", 2)
    # and a fall of the mean of the three scales ("too much" turned round) of at least this much.
    CONTINUITY_SHARP_FALL = _float_env("CONTINUITY_SHARP_FALL", 1.5)
    # More than this share of the volunteers asked in the last two months answered neither: an alert.
    CONTINUITY_UNANSWERED_SHARE = _float_env("CONTINUITY_UNANSWERED_SHARE", 0.5)
    # A contact professional sees the averages of a month's answers only when at least this many
    # volunteers answered, so that no single answer can be recognised.
    CHECK_IN_MIN_ANSWERS_FOR_AVERAGES = _int_env("CHECK_IN_MIN_ANSWERS_FOR_AVERAGES", 3)
    # Hour (UTC) at which the daily digest of new alerts is mailed.
    CONTINUITY_DIGEST_HOUR_UTC = _int_env("CONTINUITY_DIGEST_HOUR_UTC", 6)
    # Contact professionals' monthly check-in (job contact_check_ins): from this day of the (local) month on,
    # each current contact not asked yet this month is asked once, at this hour (UTC).
    CONTACT_CHECK_IN_DAY = _int_env("CONTACT_CHECK_IN_DAY", 25)
    CONTACT_CHECK_IN_HOUR_UTC = _int_env("CONTACT_CHECK_IN_HOUR_UTC", 8)
    # Longest a job run holds its lease if its process dies mid-run (seconds).
    JOB_LEASE_SECONDS = _int_env("JOB_LEASE_SECONDS", 900)

    # Personal invitations from professionals (linking pins) to citizens.
    # An invitation link works this many days; one reminder goes this many days before the end.
    INVITATION_EXPIRY_DAYS = _int_env("INVITATION_EXPIRY_DAYS", 14)
    INVITATION_REMINDER_DAYS_BEFORE = _int_env("INVITATION_REMINDER_DAYS_BEFORE", 4)
    # The volunteer's monthly check-in (services/check_ins, the daily `volunteer_check_ins` job):
    # asked at this hour (UTC) of a placement active at least this many days; its link works this long.
    CHECK_IN_HOUR_UTC = _int_env("CHECK_IN_HOUR_UTC", 9)
    CHECK_IN_AFTER_ACTIVE_DAYS = _int_env("CHECK_IN_AFTER_ACTIVE_DAYS", 14)
    CHECK_IN_LINK_DAYS = _int_env("CHECK_IN_LINK_DAYS", 21)
    # Most volunteers asked in one run (about 25 ms a mail: 5,000 take two minutes, well inside the
    # job's lease); the rest are asked on the next days of the month.
    CHECK_IN_MOST_PER_RUN = _int_env("CHECK_IN_MOST_PER_RUN", 5000)
    # Most invitations one professional may send per calendar day (Amsterdam time).
    INVITATION_DAILY_LIMIT = _int_env("INVITATION_DAILY_LIMIT", 20)
    # After a "no" or an expired invitation, no new invitation to the same person and initiative.
    INVITATION_BLOCK_DAYS = _int_env("INVITATION_BLOCK_DAYS", 90)
    # How often the scheduler expires invitations and sends reminders (seconds).
    INVITATION_JOB_INTERVAL_SECONDS = _int_env("INVITATION_JOB_INTERVAL_SECONDS", 3600)

    # Staff must set up two-factor login before they see residents' data. Only `0` turns the gate
    # off: for benchmarks that measure pages, never for a site with real residents.
    TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "1") != "0"

    PASSWORD_RESET_MAX_AGE = _int_env("PASSWORD_RESET_MAX_AGE", 3600)
    # Largest request body (bytes): far above any form or API body; the CSV upload has its own limit.
    MAX_CONTENT_LENGTH = _int_env("MAX_CONTENT_LENGTH", 256 * 1024)
    # Sent as Strict-Transport-Security when set (production): browsers use only HTTPS from then on.
    STRICT_TRANSPORT_SECURITY: str | None = None

    # Throttling (coprod_match/limits.py, Flask-Limiter). Limits are "N per second|minute|hour|day";
    # "10 per minute; 100 per day" sets two. Production needs a storage shared by all processes.
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI")  # redis://host:6379/0
    RATELIMIT_LOGIN_PER_ADDRESS = os.environ.get("RATELIMIT_LOGIN_PER_ADDRESS", "30 per minute")  # failed only
    RATELIMIT_LOGIN_PER_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_PER_ACCOUNT", "10 per minute")  # failed only
    RATELIMIT_REGISTRATION_PER_ADDRESS = os.environ.get("RATELIMIT_REGISTRATION_PER_ADDRESS", "20 per hour")
    RATELIMIT_REGISTRATION_PER_ACCOUNT = os.environ.get("RATELIMIT_REGISTRATION_PER_ACCOUNT", "3 per hour")
    RATELIMIT_PASSWORD_RESET_PER_ADDRESS = os.environ.get("RATELIMIT_PASSWORD_RESET_PER_ADDRESS", "20 per hour")
    RATELIMIT_PASSWORD_RESET_PER_ACCOUNT = os.environ.get("RATELIMIT_PASSWORD_RESET_PER_ACCOUNT", "3 per hour")
    RATELIMIT_INVITATION_BY_EMAIL_PER_ADDRESS = os.environ.get("RATELIMIT_INVITATION_BY_EMAIL_PER_ADDRESS",
                                                               "60 per hour")
    RATELIMIT_INVITATION_BY_EMAIL_PER_ACCOUNT = os.environ.get("RATELIMIT_INVITATION_BY_EMAIL_PER_ACCOUNT",
                                                               "3 per hour")
    RATELIMIT_API_TOKEN_FAILURES_PER_ADDRESS = os.environ.get("RATELIMIT_API_TOKEN_FAILURES_PER_ADDRESS",
                                                              "20 per minute")
    # How many proxies in front of the app add X-Forwarded-For; 0 trusts no such header.
    TRUSTED_PROXY_COUNT = _int_env("TRUSTED_PROXY_COUNT", 0)
    # Account lockout (services/lockout.py): this many wrong passwords in a row lock the account,
    # for these minutes (first lock, second, ...; then the last again); failures older than
    # LOGIN_LOCKOUT_FORGET_HOURS are forgotten.
    LOGIN_LOCKOUT_AFTER_FAILURES = _int_env("LOGIN_LOCKOUT_AFTER_FAILURES", 5)
    LOGIN_LOCKOUT_MINUTES = os.environ.get("LOGIN_LOCKOUT_MINUTES", "1,5,15,60")
    LOGIN_LOCKOUT_FORGET_HOURS = _int_env("LOGIN_LOCKOUT_FORGET_HOURS", 24)

    # A link to finish a registration works this long (seconds).
    REGISTRATION_LINK_MAX_AGE = _int_env("REGISTRATION_LINK_MAX_AGE", 86400)
    # A pending account an invitation made is removed this many days after its last invitation ended.
    PENDING_ACCOUNT_GRACE_DAYS = _int_env("PENDING_ACCOUNT_GRACE_DAYS", 7)
    # Consent (services/consents.py, services/welcome.py, web/privacy.py): an imported resident's
    # welcome link works this many days; their pending account goes PENDING_ACCOUNT_GRACE_DAYS later.
    WELCOME_LINK_DAYS = _int_env("WELCOME_LINK_DAYS", 14)
    # Everyone who logs in accepts the current privacy statement first (web/privacy.py). Only `0`
    # turns this off: for benchmarks that measure pages, never for a site with real residents.
    PRIVACY_ACCEPTANCE_REQUIRED = os.environ.get("PRIVACY_ACCEPTANCE_REQUIRED", "1") != "0"
    PAGE_SIZE = 20
    # Folder of pg_dump and pg_restore for `flask db backup`/`restore` (default: the PATH).
    PG_BIN_DIR = os.environ.get("PG_BIN_DIR")
    # Retention (services/retention.py, the daily `privacy_purge` job; README "Retention" says why each).
    RETENTION_PURGE_HOUR_UTC = _int_env("RETENTION_PURGE_HOUR_UTC", 3)
    RETENTION_FREE_TEXT_MONTHS = _int_env("RETENTION_FREE_TEXT_MONTHS", 12)  # notes of ended placements...
    RETENTION_NOTIFICATION_MONTHS = _int_env("RETENTION_NOTIFICATION_MONTHS", 6)  # in-app messages
    RETENTION_AUDIT_YEARS = _int_env("RETENTION_AUDIT_YEARS", 5)  # the audit log, staff looks included
    RETENTION_JOB_RUN_MONTHS = _int_env("RETENTION_JOB_RUN_MONTHS", 3)  # the scheduler's run log
    RETENTION_INACTIVE_ACCOUNT_MONTHS = _int_env("RETENTION_INACTIVE_ACCOUNT_MONTHS", 24)  # no login: warned
    RETENTION_INACTIVITY_GRACE_DAYS = _int_env("RETENTION_INACTIVITY_GRACE_DAYS", 30)  # then erased
    # Monthly check-ins of volunteers and contacts (issue 16): the comment blanked after this many months
    # from the end of the month it is about, the whole answer (the scales) deleted after the second.
    RETENTION_CHECK_IN_COMMENT_MONTHS = _int_env("RETENTION_CHECK_IN_COMMENT_MONTHS", 12)
    RETENTION_CHECK_IN_MONTHS = _int_env("RETENTION_CHECK_IN_MONTHS", 24)

    # Matching (coprod_match/matching): weights of the score's parts, and the hard limits.
    MATCHING_WEIGHT_LANGUAGE = 3.0  # speaks a language of the service users (times the level factor)
    MATCHING_LANGUAGE_LEVELS = {"native": 1.0, "fluent": 0.8, "conversational": 0.5, "basic": 0.2}
    MATCHING_NOT_BRIDGE_LANGUAGES = ("nl",)  # nearly everyone speaks Dutch: not a bridge
    MATCHING_WEIGHT_DUTCH_PRACTICE = 1.0  # wants to practise Dutch where learners are welcome
    MATCHING_WEIGHT_DISTANCE = 2.0  # same neighbourhood gets all of it, then it decays with km
    MATCHING_DISTANCE_DECAY_KM = 1.5  # the distance part falls to 37% at this many km
    MATCHING_MAX_DISTANCE_KM = 6.0  # hard limit between neighbourhood centres
    MATCHING_WEIGHT_INTERESTS = 2.0  # share of the initiative's themes the citizen likes
    MATCHING_WEIGHT_TIME = 1.5  # share of the initiative's weekly slots the citizen is free for
    MATCHING_WEIGHT_NEED = 1.0  # share of places still open
    MATCHING_WEIGHT_AT_RISK = 3.0  # one volunteer or none, or below the minimum: continuity first
    MATCHING_WEIGHT_LOAD = 0.5  # a citizen at their own limits keeps only half the score
    # Spreading attention (matching/exposure.py): initiatives in few residents' top five rank up to this
    # much higher in suggestions (near-ties only; the fit shown is unchanged). 0 is off. The default
    # follows bench/matching.py at city scale: on only if total predicted matches drop by less than 1%.
    # At 1.0 (7 of 100 fit points) the city bench measured exposure 28.7% -> 31.3% of open initiatives and
    # total predicted matches 2,841 -> 3,017 (+6.2%), the mean fit shown 66.90 -> 66.86: so on.
    MATCHING_EXPOSURE_BOOST = 1.0
    MATCHING_EXPOSURE_ENOUGH = 5  # in this many residents' top five: no boost
    MATCHING_TURNED_AWAY_DAYS = _int_env("MATCHING_TURNED_AWAY_DAYS", 90)  # declined/left: not again this soon
    # The scheduler publishes a whole new snapshot this often (workers keep theirs current from the
    # change log in between; the new one brings in what time changes, such as old refusals lapsing).
    MATCHING_SNAPSHOT_SECONDS = _int_env("MATCHING_SNAPSHOT_SECONDS", 600)
    MATCHING_SNAPSHOT_CHECK_SECONDS = _int_env("MATCHING_SNAPSHOT_CHECK_SECONDS", 15)  # workers look for a new one
    MATCHING_SNAPSHOT_DIR = os.environ.get("MATCHING_SNAPSHOT_DIR")  # local copies; default instance/matching
    # How often the scheduler looks for a placement plan someone asked for (a look that finds none is not logged).
    MATCHING_PLAN_POLL_SECONDS = _int_env("MATCHING_PLAN_POLL_SECONDS", 10)
    MATCHING_PLAN_CANDIDATES = 50  # candidate initiatives per citizen in the plan
    MATCHING_PLAN_MAX_NEW_PER_CITIZEN = 1  # new initiatives per citizen in one plan: spread the work


class DevelopmentConfig(BaseConfig):
    APP_ENV = "development"
    # Not set: links follow the address the site is served on, the request's or else the
    # PORT that `make run PORT=8000` passes (the scheduler has no request).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{_int_env('PORT', 5000)}"
    PUBLIC_BASE_URL_FROM_REQUEST = not os.environ.get("PUBLIC_BASE_URL")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")


class TestingConfig(BaseConfig):
    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret-key"  # noqa: S105 (tests only; never used by production)
    MAIL_BACKEND = "smtp"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = False  # tests log in often; tests/web/test_throttling.py turns it on


class ProductionConfig(BaseConfig):
    APP_ENV = "production"
    # Required, like SECRET_KEY: every absolute link is made from it, and it decides TRUSTED_HOSTS.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    # More host names the site answers to besides PUBLIC_BASE_URL's (comma-separated), e.g. for a
    # proxy's health checks; any other Host header is refused with 400.
    EXTRA_TRUSTED_HOSTS = tuple(filter(None, os.environ.get("EXTRA_TRUSTED_HOSTS", "").replace(" ", "").split(",")))
    STRICT_TRANSPORT_SECURITY = os.environ.get("STRICT_TRANSPORT_SECURITY", "max-age=31536000; includeSubDomains")
    # __Host-: the browser takes the cookie only over HTTPS, for this host alone (no Domain), path /.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for_environment() -> type[BaseConfig]:
    name = os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None

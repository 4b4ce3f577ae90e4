"""Configuration classes, read from the environment.

`APP_ENV` picks the class (development, testing, production); `DATABASE_URL`
selects PostgreSQL, otherwise an SQLite file in the instance folder is used.
"""

from __future__ import annotations

import os


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


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

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = os.path.join(os.path.dirname(__file__), "translations")
    LANGUAGES = ("nl", "en")

    WTF_CSRF_TIME_LIMIT = 3600 * 8
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True

    # Mail: "smtp" sends through the server below; "log" writes mails to the log (development).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int_env("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "coprod-match <no-reply@localhost>")
    MAIL_TIMEOUT = 10

    PASSWORD_MIN_LENGTH = 10
    PASSWORD_RESET_MAX_AGE = _int_env("PASSWORD_RESET_MAX_AGE", 3600)
    PAGE_SIZE = 20


class DevelopmentConfig(BaseConfig):
    APP_ENV = "development"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")


class TestingConfig(BaseConfig):
    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret-key"  # noqa: S105 (tests only; never used by production)
    MAIL_BACKEND = "smtp"
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class ProductionConfig(BaseConfig):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
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

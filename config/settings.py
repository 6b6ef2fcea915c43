"""Settings, all read from the environment (see README: Configuration).

Production (DEBUG off) refuses to start without a real SECRET_KEY rather than
run with a guessable one.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=0 the server refuses to start without a secret: "
            "set SECRET_KEY to a long random string (for example the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"`), '
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "accounts.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "survey",
    "analytics",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's session, auth, message and locale middleware, lighter on the public
    # answering flow, which has no accounts (config/middleware.py says why).
    "config.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.AuthenticationMiddleware",
    "config.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Write-ahead log: a long read (an analytics extraction, an export) no longer holds
    # up respondents' saves, which would otherwise wait for it and give up after the
    # timeout. It is kept in the file, beside which SQLite writes -wal and -shm files
    # (a local disk, not a network share). synchronous stays FULL: a power cut loses no
    # committed answer. A file busy with another write is waited for up to 10 s.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=10,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool(
    "DB_SERVER_SIDE_BINDING", True
):
    # Parameters travel apart from the SQL, and a statement run five times on a
    # connection is prepared (psycopg 3; Django turns preparing off by default):
    # no quoting of every answer set in Python, no re-planning of the few queries
    # every respondent's page runs. Set it to 0 behind a PgBouncer in transaction
    # mode older than 1.21, which cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: Redis when REDIS_URL is set. Django's Redis backend, except that pages go on when
# Redis is out of reach (config/cache.py says why); a Redis that does not answer within a
# second counts as out of reach. Two names for the one Redis, which differ only while it is
# away: "default" (rate limits, ours and allauth's; the small sum's single use) then counts
# in each process's own memory; "shared" (what every process must see alike: typed pages
# waiting for their GET, analytics stamps) then answers as an emptied cache.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    _REDIS = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cepa",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    CACHES = {"default": {**_REDIS, "LOCAL_FALLBACK": True}, "shared": _REDIS}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shared",
        },
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"

# django-allauth: email is the login; staff never sign themselves up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that nobody turns them off by accident.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = env_str("EMAIL_SUBJECT_PREFIX", "[CEPA survey] ")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "CEPA awareness survey")
# Managers and the secretariat must enrol a second factor when this is on.
REQUIRE_STAFF_MFA = env_bool("REQUIRE_STAFF_MFA", False)

# Largest XLSForm or translation sheet accepted by the designer's upload pages.
XLSFORM_MAX_UPLOAD_BYTES = env_int("XLSFORM_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

# Respondent rate limits per hashed address: (events, seconds).
RESPONDENT_RATE_LIMITS = {
    "start": (env_int("RESPONDENT_STARTS_PER_HOUR", 30), 3600),
    "save": (env_int("RESPONDENT_SAVES_PER_MINUTE", 120), 60),
    "withdraw": (10, 3600),
    # "Continue later" emails go to any address typed: without a limit, a relay for spam.
    "mail": (5, 3600),
}
# How long a server process trusts what it read of a survey link (collector and round)
# before reading it again: a pause or close made in another process takes effect
# within this many seconds. 0: read on every request.
LINK_CACHE_SECONDS = env_int("LINK_CACHE_SECONDS", 5)

# Email invitations: how long one request of the round page may spend mailing them
# (under gunicorn's 30-second timeout); the rest wait for the next press of "Send the
# waiting invitations" or for `manage.py send_invitations`, which builds the links
# from SITE_URL (https://survey.example.org), as it has no request to take them from.
INVITATION_SEND_SECONDS = env_int("INVITATION_SEND_SECONDS", 20)
SITE_URL = env_str("SITE_URL").rstrip("/")

# Analytics: cells with fewer respondents are suppressed in every output; PostgreSQL
# workers that extract a round's responses in parallel (0: one process).
ANALYTICS_MIN_CELL_SIZE = env_int("ANALYTICS_MIN_CELL_SIZE", 30)
ANALYTICS_PARALLEL_WORKERS = env_int("ANALYTICS_PARALLEL_WORKERS", 2)

# Staff invitations sent by agency managers.
STAFF_INVITATION_MAX_AGE_DAYS = env_int("STAFF_INVITATION_MAX_AGE_DAYS", 7)

# Email: EMAIL_URL (smtp://user:pass@host:587/?tls=True), or EMAIL_HOST & co., or the console.
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
elif env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CEPA survey <no-reply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Internationalisation: the six UN languages; the URL carries the language.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Formats Django lacks for one of the six languages (Arabic date and time).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: strict by default outside DEBUG; `manage.py check --deploy` stays silent.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A refused form gets a page in the visitor's language that says how to send it again.
CSRF_FAILURE_VIEW = "survey.refusal_views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

ADMINS = [("Admin", a) for a in env_list("ADMIN_EMAILS")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

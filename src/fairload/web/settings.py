"""Settings, all from the environment (see env.py and the README's "Running it" section).

Production is the default: DEBUG off, secure cookies, a secret key required. Set
FAIRLOAD_ENV=development (as `make run` does) for a local server on SQLite.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from fairload.web.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("FAIRLOAD_DATA_DIR", str(Path.cwd() / "var")))

DEVELOPMENT = env_str("FAIRLOAD_ENV", "production") == "development"
DEBUG = env_bool("FAIRLOAD_DEBUG", DEVELOPMENT)

SECRET_KEY = env_str("FAIRLOAD_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "FAIRLOAD_SECRET_KEY is required outside development "
            "(set FAIRLOAD_ENV=development for a local server)."
        )
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = env_list("FAIRLOAD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("FAIRLOAD_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "fairload.web",
    "fairload.web.accounts",
    "fairload.web.schools",
    "fairload.web.audit",
    "fairload.web.imports",
    "fairload.web.feeds",
    "fairload.web.ballots",
    "django_tasks",
    "django_tasks_db",
    "fairload.web.notices",
    "fairload.web.committee",
    "fairload.web.agreements",
    "fairload.web.proformas",
    "fairload.web.monitoring",
    "fairload.web.evaluations",
    "fairload.web.appeals",
    "fairload.web.disputes",
    "fairload.web.workload_audit",
    "fairload.web.planner",
    "ninja",
    "fairload.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "fairload.web.schools.to_core.documents_kept_for_reads",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fairload.web.urls"
WSGI_APPLICATION = "fairload.web.wsgi.application"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# A strict content security policy: only fairload's own scripts, styles and images; the
# two inline scripts in base.html carry the per-request nonce. No inline style attributes:
# charts and heat maps colour with classes and SVG attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Uploads for import, per person: at most FAIRLOAD_UPLOAD_LIMIT in any
# FAIRLOAD_UPLOAD_WINDOW_MINUTES; one more is answered 429 with the time to try again.
# Counted from the stored uploads, so every application server sees the same count.
FAIRLOAD_UPLOAD_LIMIT = env_int("FAIRLOAD_UPLOAD_LIMIT", 20)
FAIRLOAD_UPLOAD_WINDOW_MINUTES = env_int("FAIRLOAD_UPLOAD_WINDOW_MINUTES", 10)
# An upload holds staff names (personal data) until it is applied or expires: kept only as
# long as its preview needs, then deleted by the next upload or `purge_pending_imports`.
FAIRLOAD_PENDING_IMPORT_HOURS = env_int("FAIRLOAD_PENDING_IMPORT_HOURS", 2)

# Each application process keeps the checks of the school years it last served, keyed by
# the year's revision (selectors.school_year_check), so a change on one server is seen by all.
FAIRLOAD_CHECK_CACHE_SIZE = env_int("FAIRLOAD_CHECK_CACHE_SIZE", 64)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "fairload.web.navigation.nav_items",
            ],
        },
    }
]

if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file lives here

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'fairload.sqlite3'}"),
        conn_max_age=env_int("FAIRLOAD_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite, the default, has one writer at a time. Every transaction that may write takes
    # the write lock when it begins (BEGIN IMMEDIATE), so two writers never deadlock by
    # both upgrading a read lock, and a writer waits up to FAIRLOAD_SQLITE_TIMEOUT seconds
    # for the lock instead of failing at once with "database is locked". In WAL mode
    # readers and the writer do not block each other.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("FAIRLOAD_SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses further tries once the limit is reached.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login rate limiting: after AXES_FAILURE_LIMIT failed tries for one username from one
# address, that pair is refused for AXES_COOLOFF_TIME; after
# FAIRLOAD_LOGIN_ADDRESS_FAILURE_LIMIT failed tries from one address over any usernames,
# that address is (accounts/lockout.py). Attempts are kept in the database, so every
# application server behind a load balancer sees the same count.
AXES_HANDLER = "fairload.web.accounts.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = env_int("FAIRLOAD_LOGIN_FAILURE_LIMIT", 5)
FAIRLOAD_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("FAIRLOAD_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FAIRLOAD_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a load balancer set FAIRLOAD_PROXY_COUNT to the number of proxies in front, so the
# client's address is read from X-Forwarded-For rather than the balancer's own.
AXES_IPWARE_PROXY_COUNT = env_int("FAIRLOAD_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Two-factor sign-in (accounts/sign_in.py): the issuer named in a person's authenticator app.
OTP_TOTP_ISSUER = env_str("FAIRLOAD_TOTP_ISSUER", "fairload")

# Email, for the links that set or reset a password (README, "For a council"). Development
# prints each message in the server's console; production sends through SMTP.
EMAIL_BACKEND = env_str(
    "FAIRLOAD_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("FAIRLOAD_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("FAIRLOAD_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("FAIRLOAD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("FAIRLOAD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("FAIRLOAD_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("FAIRLOAD_EMAIL_FROM", "fairload <no-reply@localhost>")
#: The sender of the notifications (notices/): the same as the password links' by default.
FAIRLOAD_NOTICE_FROM = env_str("FAIRLOAD_NOTICE_FROM", DEFAULT_FROM_EMAIL)
#: The site's address as people reach it, for the links in emails sent by the worker (which
#: has no request to read it from).
FAIRLOAD_SITE_URL = env_str(
    "FAIRLOAD_SITE_URL",
    "http://127.0.0.1:8000" if DEVELOPMENT else f"https://{(ALLOWED_HOSTS or ['localhost'])[0]}",
).rstrip("/")

# PDF documents (fairload.documents): a final one (a signed agreement, an agreed pro-forma)
# is also signed as a PDF (PAdES) with this PKCS#12 archive (.p12 or .pfx) and password,
# when set (README, "For a council"); unset, PDFs carry the recorded signatures only.
FAIRLOAD_PDF_SIGNING_CERTIFICATE = env_str("FAIRLOAD_PDF_SIGNING_CERTIFICATE", "")
FAIRLOAD_PDF_SIGNING_PASSWORD = env_str("FAIRLOAD_PDF_SIGNING_PASSWORD", "")
#: Where the documents are signed, as a PDF reader shows it (the council's name, say).
FAIRLOAD_PDF_SIGNING_LOCATION = env_str("FAIRLOAD_PDF_SIGNING_LOCATION", "")
if FAIRLOAD_PDF_SIGNING_CERTIFICATE and not Path(FAIRLOAD_PDF_SIGNING_CERTIFICATE).is_file():
    raise ImproperlyConfigured(
        f"FAIRLOAD_PDF_SIGNING_CERTIFICATE names no file: {FAIRLOAD_PDF_SIGNING_CERTIFICATE}"
    )

# Background work (notices/): Django's task framework (the django-tasks backport) with its
# database backend, so a task is a row written in the same transaction as the step that
# asked for it, and `fairload-web notices_worker` (beside the application servers) runs it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

#: How long a link to set or reset a password works.
PASSWORD_RESET_TIMEOUT = env_int("FAIRLOAD_PASSWORD_LINK_HOURS", 72) * 3600

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("FAIRLOAD_STATIC_ROOT", str(DATA_DIR / "static")))
# In development WhiteNoise serves straight from the apps' static folders; production
# serves what `collectstatic` put in STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEVELOPMENT
if DEVELOPMENT:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SESSION_COOKIE_SECURE = env_bool("FAIRLOAD_SECURE_COOKIES", not DEVELOPMENT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("FAIRLOAD_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("FAIRLOAD_HSTS_SECONDS", 0)

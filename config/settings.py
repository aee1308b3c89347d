"""Kindling's settings: one file, read from the environment.

Every variable has a safe local default so that `make run` and `make test` work on a
fresh clone (SQLite, a file-system broker, console email). Production sets the variables
listed in the README; with those set, `manage.py check --deploy` is clean.
"""

from __future__ import annotations

import os
import secrets
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KINDLING_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Production is DJANGO_DEBUG=0 said out loud (the Dockerfile and .env.example say it).
# Left unset, as under `make test`, Kindling runs on the embedded defaults below.
PRODUCTION = env("DJANGO_DEBUG") != "" and not envbool("DJANGO_DEBUG", False)
DEBUG = envbool("DJANGO_DEBUG", False)
# The value .env.example ships with: a server started with it has not been configured.
SECRET_KEY_PLACEHOLDER = "change-me-to-a-random-string-of-at-least-50-characters"  # noqa: S105
SECRET_KEY_MIN_LENGTH = 50

if not PRODUCTION:
    # The embedded defaults keep their files here; production brings its own folders.
    VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    # Local runs get a strong key that survives restarts without anyone choosing one.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _production_secret_key() -> str:
    # Every container must sign with the same key (the worker signs the unsubscribe and
    # pause links the web container checks), so production never makes one up.
    key = env("DJANGO_SECRET_KEY")
    if not key or key == SECRET_KEY_PLACEHOLDER or len(key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY must be set to a random value of at least "
            f"{SECRET_KEY_MIN_LENGTH} characters when DJANGO_DEBUG=0 (see .env.example)."
        )
    return key


SECRET_KEY = (
    _production_secret_key() if PRODUCTION else env("DJANGO_SECRET_KEY") or _local_secret_key()
)
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
# HTTPS hardening follows the public address: a site served over https gets secure
# cookies, HSTS and redirects; a local http one does not.
HTTPS = SITE_URL.startswith("https://")

INSTALLED_APPS = [
    "config.admin.KindlingAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "couples",
    "practices",
    "feelings",
    "ourweek",
    "rituals",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "couples.middleware.UserTimezoneMiddleware",
    "couples.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "couples.context_processors.kindling",
                "practices.context_processors.unread_notes",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=0 if envbool("DATABASE_POOL", False) else 60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool(
    "DATABASE_POOL", False
):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": envint("DATABASE_POOL_MAX", 8),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the Celery worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES["default"]["TEST"] = {"NAME": env("DATABASE_TEST_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -----------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kindling",
        }
    }
else:
    # Shared by every process of the install (each web worker, the Celery worker), so the
    # rate limits count once, not once per process. `manage.py createcachetable` makes it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kindling_cache",
        }
    }

# kombu warns at every start about a filesystem:// URL without a host name.
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost/"
if not REDIS_URL:
    _broker_dir = Path(env("CELERY_FILESYSTEM_DIR", str(VAR_DIR / "broker")))
    if not PRODUCTION:
        for _sub in ("queue", "processed", "control"):
            (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu's default is ./control, in whatever folder the process started in.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers an unacknowledged task after this many seconds, so no task may be
    # scheduled further ahead than this (see reminders/tasks.py).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Two queues, and every worker takes from both, "push" first: a minute's notifications go
# ahead of its emails (a notification is meant to arrive now; an email is read later).
# kombu's "priority" order asks the queues in the order declared here.
CELERY_BROKER_TRANSPORT_OPTIONS["queue_order_strategy"] = "priority"
CELERY_TASK_QUEUES = (Queue("push"), Queue("celery"))
CELERY_TASK_DEFAULT_QUEUE = "celery"
PUSH_QUEUE = "push"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# What a task prints (the console email backend under `make run`) stays plain text on
# stdout instead of becoming a WARNING log record per line.
CELERY_WORKER_REDIRECT_STDOUTS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Reminders are dispatched at the start of every minute; KINDLING_DISPATCH_SECONDS runs
# the dispatcher on a plain interval instead (the real-worker tests use a short one).
_DISPATCH_SECONDS = envint("KINDLING_DISPATCH_SECONDS", 0)
_SWEEP_SECONDS = envint("KINDLING_SWEEP_SECONDS", 0)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "dispatch-due-reminders": {
        "task": "reminders.tasks.dispatch_due",
        "schedule": float(_DISPATCH_SECONDS) if _DISPATCH_SECONDS else crontab(),
        # A dispatch that could not start within the minute is dropped: the next one
        # picks up everything still due.
        "options": {"expires": 50},
    },
    "requeue-lost-nudges": {
        "task": "reminders.tasks.requeue_lost_nudges",
        "schedule": crontab(),  # every minute: a send lost to a broker outage goes within 3
    },
    "purge-ended-couples": {
        "task": "couples.tasks.purge_ended_couples",
        "schedule": crontab(minute=17, hour="*/6"),
    },
    "deliver-scheduled-notes": {
        "task": "practices.tasks.deliver_scheduled_notes",
        "schedule": crontab(),  # every minute
    },
    "sweep-stuck-nudges": {
        "task": "reminders.tasks.sweep_stuck_nudges",
        # Every minute (a dead worker's emails go again within a lease and a minute);
        # KINDLING_SWEEP_SECONDS sweeps more often, for the drills.
        "schedule": float(_SWEEP_SECONDS) if _SWEEP_SECONDS else crontab(),
    },
    "queue-monthly-checkins": {
        "task": "reminders.tasks.queue_monthly_checkins",
        "schedule": crontab(minute="*/15"),  # the month opens at each person's nudge time
    },
    "queue-weekly-invitations": {
        "task": "reminders.tasks.queue_weekly_invitations",
        "schedule": float(_DISPATCH_SECONDS) if _DISPATCH_SECONDS else crontab(),
        "options": {"expires": 50},
    },
}
# A send task holds its rows for this long unless it renews, which it does at least every
# third of it. A dead worker's emails go out again within a lease plus a minute (the sweep).
# Keep the SMTP timeout (20 s by default) under half of it: a lease that lapsed while an
# email was in flight would let another worker send that email too. Drills shorten it.
KINDLING_LEASE_SECONDS = envint("KINDLING_LEASE_SECONDS", 60)

# --- Email ----------------------------------------------------------------------------


def _mailer_from_url(url: str) -> dict:
    """Turn EMAIL_URL (smtp://user:pass@host:587?tls=1, console://, locmem://) into a mailer."""
    if not url or url.startswith("console:"):
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("locmem:"):
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError(f"EMAIL_URL scheme must be smtp, smtps, console or locmem: {url!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    truthy = {"1", "true", "yes", "on"}
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": query.get("tls", "").lower() in truthy,
            "use_ssl": parts.scheme == "smtps" or query.get("ssl", "").lower() in truthy,
            "timeout": int(query.get("timeout", 20)),
        },
    }


MAILERS = {"default": _mailer_from_url(env("EMAIL_URL"))}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Kindling <kindling@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "couples.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "practices:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "couples.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "couples.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Kindling: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    # Anyone can type someone else's address into these forms, and each one sends that
    # address an email (a reset link, a verification link, "you already have an
    # account"): a few an hour or a day per address, whoever asks.
    "reset_password": "20/m/ip,3/h/key,10/d/key",
    "confirm_email": "1/3m/key,5/d/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kindling"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages Kindling speaks. Adding one: README, "Adding a language".
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
# Kindling's own catalogs (compiled by `make`, see config/messages.py); the English one
# only rewords django-allauth in Kindling's voice.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# A production (https) site serves collected, hashed files (the Dockerfile runs
# collectstatic); local runs and tests serve straight from the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if HTTPS
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not HTTPS
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_TRUSTED_ORIGINS = [SITE_URL] if HTTPS else []
SECURE_SSL_REDIRECT = HTTPS and envbool("DJANGO_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is hard to undo (browsers ship the list for months), so only on request.
SECURE_HSTS_PRELOAD = HTTPS and envbool("DJANGO_HSTS_PRELOAD", False)
# check --deploy nags about preload; leaving it off is the considered default above.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that overwrites this header (see README, "Production").
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_secrets": {"()": "config.logs.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Kindling -------------------------------------------------------------------------
KINDLING_INVITATION_LINK_DAYS = 7
KINDLING_PAIRING_CODE_MINUTES = 60
KINDLING_ARCHIVE_DAYS = 30

# --- Web Push ---------------------------------------------------------------------------
# VAPID (RFC 8292): the key pair that signs every push request, so the browsers' push
# services know the notifications come from this server. The public key is handed to
# browsers when they subscribe: changing it strands every device until it subscribes again.


def _local_vapid_keys() -> tuple[str, str]:
    # Like the secret key: generated once for local runs, kept in var/.
    path = VAR_DIR / "vapid_keys"
    if not path.exists():
        from config.vapid import generate_keys

        path.write_text("\n".join(generate_keys()))
        path.chmod(0o600)
    private, public = path.read_text().split()
    return private, public


VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY")
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY")
if not (VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY) and not PRODUCTION:
    VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY = _local_vapid_keys()
# Production without keys: push is simply off, and the settings page says so.
PUSH_ENABLED = bool(VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY)
VAPID_SUBJECT = env("VAPID_SUBJECT", f"mailto:{parseaddr(DEFAULT_FROM_EMAIL)[1]}")
# Push endpoints on private or loopback addresses are refused outside DEBUG (a
# subscription must not make the worker call into our own network); tests add their
# local fake push service here.
PUSH_ALLOWED_PRIVATE_HOSTS = envlist("PUSH_ALLOWED_PRIVATE_HOSTS", "")
PUSH_TIMEOUT_SECONDS = envint("PUSH_TIMEOUT_SECONDS", 10)
# /metrics for a scraper: `Authorization: Bearer <this>`; empty, only staff see it.
KINDLING_METRICS_TOKEN = env("KINDLING_METRICS_TOKEN")

"""Settings, from the environment: SQLite and DEBUG by default, PostgreSQL by DATABASE_URL."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from governance.env import envbool, envint, envlist, secret_key_from_file

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", "true")
# SECRET_KEY from the environment; else SECRET_KEY_FILE names a file that keeps one, made at
# first start (the compose file keeps it in the data volume, so it survives restarts and
# rebuilds); else, in debug only, a development key.
SECRET_KEY = os.environ.get("SECRET_KEY", "") or secret_key_from_file(
    os.environ.get("SECRET_KEY_FILE", "")
)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY or SECRET_KEY_FILE must be set when DEBUG is false.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

# Load the demo record at start (`make run`, the container) into a database with no companies:
# on by default in debug, so a newcomer sees it; off by default otherwise.
LOAD_DEMO = envbool("LOAD_DEMO", "true" if DEBUG else "false")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "people",
    "governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "governance.views.faults.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "records.middleware.guard_admin_addresses",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "governance.urls"
WSGI_APPLICATION = "governance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A kept connection is checked before a request uses it: after the database restarts,
        # the first request reconnects rather than failing on the broken connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation adds 0.5-1 s to any query the planner expects to be big (an admin filter
    # that matches nothing at a million rows): the pages' queries are short, JIT never pays.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# One date style everywhere, the admin included: "8 Sep 2004", "26 Nov 2026, 11:15 UTC".
FORMAT_MODULE_PATH = ["governance.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-simple-history: index (history_date, id) for as_of() queries.
SIMPLE_HISTORY_DATE_INDEX = "Composite"
SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGIN_URL = "admin:login"

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused, the right password too, until AXES_COOLOFF_TIME has
# passed since the last failure (or `manage.py axes_reset`). By the pair, so that nobody can
# lock a user out from elsewhere by guessing at their name. The attempts are rows in this
# database (axes' own migrations), so every worker sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "governance.views.lockout.locked_out"
# A login page is not worth a password in the log.
AXES_SENSITIVE_PARAMETERS = ["password"]

# A tenure with no end recorded whose latest evidence is older than this is shown as
# "no end recorded · last confirmed …", not as current: the proxy-statement cycle, and some.
UNCONFIRMED_AFTER_MONTHS = envint("UNCONFIRMED_AFTER_MONTHS", 18)

# Whole public pages for anonymous readers (governance/views/caching.py). The default cache
# lives in each worker's memory; CACHE_URL shares one: redis://HOST:6379/0 (needs the redis
# package) or memcached://HOST:11211 (needs pymemcache).
PAGE_CACHE = envbool("PAGE_CACHE", "true")
PAGE_CACHE_SECONDS = 24 * 3600
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL.startswith("memcached://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": CACHE_URL.removeprefix("memcached://"),
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis:// or memcached://, not {CACHE_URL!r}"
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# Background jobs (the admin's CSV import): django-tasks, with the queue as a table in this
# database; `python manage.py db_worker` runs them (`make run` and docker-compose start one).
# The tests run each task at once, in the request (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Where uploads wait between preview and import, each in its own private folder. The web
# processes and the worker must all see the same folder.
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", BASE_DIR / "var" / "imports"))
# An upload nobody confirmed or cancelled is removed this long after its preview.
IMPORT_UPLOAD_MAX_AGE = datetime.timedelta(hours=envint("IMPORT_UPLOAD_MAX_AGE_HOURS", 24))
# The most an admin upload may hold, all its files together (larger files: the commands).
IMPORT_UPLOAD_MAX_BYTES = envint("IMPORT_UPLOAD_MAX_MB", 50) * 1024 * 1024

# HTTPS whenever DEBUG is off. A deployment that serves plain HTTP on a local network (the
# compose file's) sets PLAIN_HTTP=true, which turns SSL redirect, secure cookies and HSTS
# off together: half of them on would leave the admin login broken or the site unreachable.
PLAIN_HTTP = envbool("PLAIN_HTTP", "false")
HTTPS = not DEBUG and not PLAIN_HTTP
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), on every page, the admin's too: scripts, styles, images
# and fonts from this site only, and nothing inline (templates that carried inline script or
# style are overridden in templates/, with the code moved to static/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if PLAIN_HTTP:
    # Plain HTTP is a deliberate choice here; these checks only say HTTPS is off.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# SEC EDGAR (fetch_sec_ownership). The SEC's fair-access policy asks every client to name itself
# with a contact: SEC_USER_AGENT="Example Research admin@example.com". The base URLs are
# settings so that tests can point them at a local server.
SEC_USER_AGENT = os.environ.get("SEC_USER_AGENT", "")
SEC_DATA_URL = os.environ.get("SEC_DATA_URL", "https://data.sec.gov")
SEC_ARCHIVES_URL = os.environ.get("SEC_ARCHIVES_URL", "https://www.sec.gov/Archives/edgar/data")
SEC_REQUESTS_PER_SECOND = envint("SEC_REQUESTS_PER_SECOND", 10)
SEC_CACHE_DIR = Path(os.environ.get("SEC_CACHE_DIR", BASE_DIR / "sec-cache"))

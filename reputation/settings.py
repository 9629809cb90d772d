"""Settings, read from the environment through small typed helpers.

Every variable is documented in README.md ("Configuration"). Defaults are the
embedded ones used by `make run` and `make test`: SQLite under var/, an embedded
filesystem broker, email printed to the console.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def envint(name: str, default: str) -> int:
    try:
        return int(os.getenv(name, default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer") from exc


def envfloat(name: str, default: str) -> float:
    try:
        return float(os.getenv(name, default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number") from exc


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.getenv(name, default).split(",") if part.strip()]


DEBUG = envbool("DEBUG", "0")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_ROOT = os.getenv("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.getenv("SITE_NAME", "Veille e-réputation")

# The demo serves its own feeds and pages from this app (see reputation/demo/).
DEMO_MODE = envbool("DEMO_MODE", "0")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Login throttling by account and by address (reputation/security/login_throttle.py).
    "axes",
    # The product: one app per capability that has models (its own models and
    # migrations, label = the folder's name), then the project package itself (settings,
    # commands, template tags; no models), then the collector.
    "reputation.orgs",
    "reputation.names",
    "reputation.sources",
    "reputation.mentions",
    "reputation.inbox",
    "reputation.dashboard",
    "reputation.alerts",
    "reputation.accounts",
    "reputation.api",
    # Reply drafts, answered when and by whom, deadlines (reputation/replies/).
    "reputation.replies",
    "reputation",
    # Signed JSON webhooks: delivery log, redelivery, test (reputation/webhooks/).
    "reputation.webhooks",
    # The REST API (reputation/api/): DRF, its OpenAPI 3.1 schema, and the docs'
    # Redoc served from our own static files (sidecar), never from a CDN.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "monitoring",
    # WebSub: hubs push new items of the feeds that name one (monitoring/websub/).
    "monitoring.websub",
    # GDPR: retention, erasure, requests, export, register, audit log.
    "reputation.privacy",
    # The free public diagnostic (reputation/diagnostic/).
    "reputation.diagnostic",
]

MIDDLEWARE = [
    # X-Request-Id on every answer, first so that even an early refusal has one.
    "reputation.api.request_id.request_id",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every response.
    "csp.middleware.CSPMiddleware",
    "reputation.security.headers.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "reputation.accounts.middleware.reset_time_zone",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "reputation.security.idle_sessions.idle_sessions",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reputation.urls"
WSGI_APPLICATION = "reputation.wsgi.application"

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
                "django.template.context_processors.i18n",
                "reputation.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL in production, SQLite under var/ by default. SQLite runs in
# WAL mode with IMMEDIATE transactions and a busy timeout so that the web process,
# the worker and beat can share the file without "database is locked".
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    # Health checks: a connection kept between requests (CONN_MAX_AGE) that a database
    # restart broke is noticed and replaced at the start of the next request, instead
    # of failing it (and /healthz answering "database" while the database is fine).
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # An unreachable server fails in seconds, not after the system's TCP timeout
        # (minutes, during which /healthz, pages and tasks would hang).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
    )
    # Tests start real worker processes: they need a database file, not :memory:.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "reputation.backends.EmailBackend",
]
LOGIN_URL = "login"

# Login throttling (django-axes): failures are counted per email address and per
# client address; either one reaching the limit locks it out for a while.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "reputation.security.login_throttle.username"
AXES_CLIENT_IP_CALLABLE = "reputation.security.login_throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "reputation.security.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Proxies in front of `web` that append the client address to X-Forwarded-For
# (docker-compose behind one TLS proxy: 1). 0 trusts only REMOTE_ADDR.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", "0")

# What sends email on someone's behalf is limited per hour (reputation/security/rates.py).
RATE_LIMITS = {
    "signup_per_client": envint("SIGNUPS_PER_HOUR_PER_CLIENT", "5"),
    "signup_per_email": envint("SIGNUPS_PER_HOUR_PER_EMAIL", "3"),
    "invite_per_account": envint("INVITATIONS_PER_HOUR_PER_ACCOUNT", "20"),
    "invite_per_org": envint("INVITATIONS_PER_HOUR_PER_ORG", "30"),
    "reset_per_email": envint("RESETS_PER_HOUR_PER_EMAIL", "3"),
    "reset_per_client": envint("RESETS_PER_HOUR_PER_CLIENT", "10"),
    # The public privacy request form (reputation/privacy/views.py).
    "privacy_per_client": envint("PRIVACY_REQUESTS_PER_HOUR_PER_CLIENT", "5"),
    "privacy_per_email": envint("PRIVACY_REQUESTS_PER_HOUR_PER_EMAIL", "3"),
    # The free diagnostic fetches the web for anyone: per client address and per name.
    "diagnostic_per_client": envint("DIAGNOSTICS_PER_HOUR_PER_CLIENT", "5"),
    "diagnostic_per_name": envint("DIAGNOSTICS_PER_HOUR_PER_NAME", "3"),
}

# The REST API (README "API"): keys only (no session, so no CSRF), errors as RFC 9457
# problems, requests per key per minute (reputation/api/limits.py).
API_REQUESTS_PER_MINUTE = envint("API_REQUESTS_PER_MINUTE", "120")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["reputation.api.auth.KeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["reputation.api.auth.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "EXCEPTION_HANDLER": "reputation.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "E-reputation monitoring API",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reputation.api.schema.add_problems",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SentimentEnum": "reputation.mentions.models.Sentiment",
        "CorrectionEnum": "reputation.api.serializers.CORRECTIONS",
    },
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Seconds that all the fetches of one free diagnostic share (it answers within a minute).
DIAGNOSTIC_FETCH_BUDGET = envfloat("DIAGNOSTIC_FETCH_BUDGET", "40")
# Tests point the diagnostic's searches at local servers: (key, URL template with {q}).
# None: the search presets (monitoring/sources/presets.py), or the demo's feeds.
DIAGNOSTIC_SEARCHES = None

# Sessions end after this long without a request (reputation/security/idle_sessions.py).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", "480") * 60
LOGIN_REDIRECT_URL = "index"
LOGOUT_REDIRECT_URL = "login"

# French first: the UI is written in English msgids and translated to French.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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
WHITENOISE_USE_FINDERS = DEBUG

# Security: production defaults, relaxed only with DEBUG on (make run).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "0" if DEBUG else "1")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
# Only our own scripts, styles and images run: templates have no inline script, style
# or event handler (tests/security/test_security_headers.py keeps it so), so an injected
# <script> or onerror= would not run. Images come from the site only; the one page
# that needs `data:` images (the monthly report, whose charts are embedded so that the
# same HTML works in an email and in the PDF) adds it for itself (reports/views.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Email: EMAIL_URL such as smtp://user:pass@host:587?tls=1, or console:// (default).
EMAIL_URL = os.getenv("EMAIL_URL", "console://")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "veille@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def _email_settings(url: str) -> dict:
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "submission": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not supported")
    conf = {"EMAIL_BACKEND": backends[parts.scheme]}
    if backends[parts.scheme].endswith("smtp.EmailBackend"):
        conf.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or {"smtps": 465, "submission": 587}.get(parts.scheme, 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=query.get("tls", "0") in ("1", "true") or parts.scheme == "submission",
            EMAIL_USE_SSL=query.get("ssl", "0") in ("1", "true") or parts.scheme == "smtps",
            EMAIL_TIMEOUT=int(query.get("timeout", "10")),
        )
    return conf


globals().update(_email_settings(EMAIL_URL))

# Celery. REDIS_URL (or CELERY_BROKER_URL) selects Redis; without it an embedded
# filesystem broker under var/ lets worker and beat run on a bare machine.
REDIS_URL = os.getenv("REDIS_URL", "")
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
# The counters of RATE_LIMITS: in Redis when there is one (shared by every process and
# machine, atomic increments), otherwise in files under VAR_DIR (shared by the
# processes of this machine; Django's default in-memory cache would give each gunicorn
# worker counters of its own).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cache",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A message whose worker died unacknowledged is delivered again after this delay.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "3600"),
    }
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "0")
# No task runs forever: past the soft limit the task stops the source it is on (its
# error says why) and hands back the others; past the hard limit the process is killed.
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", "300")
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", "360")
CELERY_TIMEZONE = TIME_ZONE

# Polling.
POLL_DISPATCH_BATCH = envint("POLL_DISPATCH_BATCH", "25")
# Sources one dispatch claims at most; a dispatch that claims that many queues the
# next one behind its batches (monitoring/pipeline/tasks.py).
POLL_DISPATCH_LIMIT = envint("POLL_DISPATCH_LIMIT", "5000")
POLL_LEASE_SECONDS = envint("POLL_LEASE_SECONDS", "600")
# A poll task whose database went away tries again after this many seconds (while the
# lease lasts).
POLL_DATABASE_RETRY_SECONDS = max(1, envint("POLL_DATABASE_RETRY_SECONDS", "10"))
POLL_MIN_INTERVAL = envint("POLL_MIN_INTERVAL", "300")
POLL_MAX_INTERVAL = envint("POLL_MAX_INTERVAL", "21600")
POLL_DEFAULT_INTERVAL = envint("POLL_DEFAULT_INTERVAL", "1800")
POLL_PAUSE_AFTER_ERRORS = envint("POLL_PAUSE_AFTER_ERRORS", "10")
# ... and only once it has failed for this long: a site down for a day is read again
# as soon as it is back, not left paused until someone notices.
POLL_PAUSE_AFTER_HOURS = envint("POLL_PAUSE_AFTER_HOURS", "72")
# Longest wait between two tries of a failing source (or its usual interval when
# longer): the backoff never leaves a recovered site unread for hours.
POLL_ERROR_MAX_DELAY = envint("POLL_ERROR_MAX_DELAY", "3600")
# Items read from one source in one poll, and mentions one item gives one organisation:
# a poll's memory stays bounded whatever a page holds or an organisation tracks.
POLL_MAX_ITEMS = envint("POLL_MAX_ITEMS", "300")
POLL_MAX_MENTIONS_PER_ITEM = envint("POLL_MAX_MENTIONS_PER_ITEM", "20")
# Per-organisation limits (reputation/limits.py).
ORG_MAX_TRACKED_NAMES = envint("ORG_MAX_TRACKED_NAMES", "200")
ORG_MAX_SOURCES = envint("ORG_MAX_SOURCES", "500")
# What one organisation may ask every worker to match: spellings per name, context
# and excluded terms per name, characters per line, and strings (names, spellings and
# terms together) over all its names. One organisation's matcher stays a few MB.
NAME_MAX_ALIASES = envint("NAME_MAX_ALIASES", "50")
NAME_MAX_TERMS = envint("NAME_MAX_TERMS", "50")
NAME_MAX_LENGTH = envint("NAME_MAX_LENGTH", "200")
ORG_MAX_PATTERNS = envint("ORG_MAX_PATTERNS", "2000")
# Estimated memory of the matchers one worker process keeps (MB): past it, the least
# recently used organisations' matchers are forgotten and rebuilt when next needed
# (monitoring/matching/groups.py). 100,000 names over 2,000 organisations are ~340 MB.
MATCHER_CACHE_MB = envint("MATCHER_CACHE_MB", "512")
# Organisations one person may create (sign-up and client organisations): without
# it, the per-organisation limits would cap nobody.
ORG_MAX_PER_USER = envint("ORG_MAX_PER_USER", "20")
# History scans (reputation/mentions/history.py) one organisation may start per hour;
# past it, its scans wait for the hour to pass instead of taking the workers.
HISTORY_SCANS_PER_HOUR = envint("HISTORY_SCANS_PER_HOUR", "30")
# Seconds of reading (parsing, selectors) one page may take, in a poll or a preview.
POLL_PARSE_SECONDS = envfloat("POLL_PARSE_SECONDS", "20")

# WebSub (monitoring/websub): feeds that name a hub are subscribed to, and the hub
# pushes their new items to SITE_ROOT/websub/<token>/. Off: polling only (a site
# whose SITE_ROOT hubs cannot reach gains nothing from it).
WEBSUB_ENABLED = envbool("WEBSUB_ENABLED", "1")
# Lease asked of hubs (they may grant another), renewed this long before it ends.
WEBSUB_LEASE_SECONDS = envint("WEBSUB_LEASE_SECONDS", str(10 * 86400))
WEBSUB_RENEW_BEFORE = envint("WEBSUB_RENEW_BEFORE", str(86400))
# A pushed source is still polled, as a safety net, this often (within the bounds).
WEBSUB_POLL_INTERVAL = envint("WEBSUB_POLL_INTERVAL", "21600")
# A subscription request the hub neither verified nor refused is sent again after this.
WEBSUB_RETRY_SECONDS = envint("WEBSUB_RETRY_SECONDS", "3600")

# Alerts (docs/alerts.md).
ALERT_GROUP_SECONDS = envint("ALERT_GROUP_SECONDS", "60")
ALERT_MAX_AGE_DAYS = envint("ALERT_MAX_AGE_DAYS", "3")
ALERT_MAX_ATTEMPTS = envint("ALERT_MAX_ATTEMPTS", "12")
ALERT_LEASE_SECONDS = envint("ALERT_LEASE_SECONDS", "300")
# Once a message has left, recording it is tried again this long while the database
# is away (a restart): it then shows as sent, not as "may have arrived".
ALERT_DATABASE_RETRY_SECONDS = envint("ALERT_DATABASE_RETRY_SECONDS", "60")
# 13 minutes: with the one-minute grouping window and the scan, a complaint on a polled
# source reaches its owner within 15 minutes at the 95th percentile (bench alerts);
# pushed (WebSub) sources are left out of this cap and arrive within 2 minutes.
ALERT_POLL_INTERVAL = envint("ALERT_POLL_INTERVAL", "780")
ALERT_WEBHOOK_THRESHOLD = envint("ALERT_WEBHOOK_THRESHOLD", "50")
ALERT_SPIKE_PROBABILITY = envfloat("ALERT_SPIKE_PROBABILITY", "0.0025")
ALERT_SPIKE_MIN_COUNT = envint("ALERT_SPIKE_MIN_COUNT", "2")
ALERT_DIGEST_HOUR = envint("ALERT_DIGEST_HOUR", "8")

# Fetching user-given URLs. Local and private addresses are refused unless this is
# set (the demo and the tests serve feeds from 127.0.0.1).
FETCH_ALLOW_PRIVATE_ADDRESSES = envbool("FETCH_ALLOW_PRIVATE_ADDRESSES", "0")
FETCH_MAX_BYTES = envint("FETCH_MAX_BYTES", str(5 * 1024 * 1024))
FETCH_CONNECT_TIMEOUT = envfloat("FETCH_CONNECT_TIMEOUT", "10")
FETCH_READ_TIMEOUT = envfloat("FETCH_READ_TIMEOUT", "20")
FETCH_TOTAL_TIMEOUT = envfloat("FETCH_TOTAL_TIMEOUT", "45")
FETCH_MAX_REDIRECTS = envint("FETCH_MAX_REDIRECTS", "5")
FETCH_PER_HOST_CONCURRENCY = envint("FETCH_PER_HOST_CONCURRENCY", "4")
FETCH_CONCURRENCY = envint("FETCH_CONCURRENCY", "100")
# Longest wait for a host's shared slot (FETCH_PER_HOST_CONCURRENCY counted across
# every worker process and machine) or for its robots.txt Crawl-delay; past it the
# source is polled a bit later instead (monitoring/net/hostlimit.py).
FETCH_HOST_WAIT = envfloat("FETCH_HOST_WAIT", "30")
FETCH_CONTACT_URL = os.getenv("FETCH_CONTACT_URL", SITE_ROOT + "/about/bot/")
FETCH_USER_AGENT = os.getenv("FETCH_USER_AGENT", f"VeilleReputationBot/0.1 (+{FETCH_CONTACT_URL})")
FETCH_RESPECT_ROBOTS = envbool("FETCH_RESPECT_ROBOTS", "1")
# Fetches a person waits on (previews, feed discovery) share this many seconds in all;
# it must stay well under the web server's timeout (WEB_TIMEOUT, gunicorn's --timeout).
REQUEST_FETCH_BUDGET = envfloat("REQUEST_FETCH_BUDGET", "10")
WEB_TIMEOUT = envint("WEB_TIMEOUT", "30")
# Review platforms read through their APIs (monitoring/connectors/, docs/connectors.md).
# Google Business Profile: the self-hoster's OAuth client (console.cloud.google.com),
# its redirect URI being SITE_ROOT + /connectors/google/callback/.
GOOGLE_CLIENT_ID = os.getenv("GOOGLE_CLIENT_ID", "")
GOOGLE_CLIENT_SECRET = os.getenv("GOOGLE_CLIENT_SECRET", "")
# Tokens and keys are stored encrypted with this key (else one derived from SECRET_KEY).
CONNECTOR_ENCRYPTION_KEY = os.getenv("CONNECTOR_ENCRYPTION_KEY", "")
# The platforms' addresses: settings so that tests point them at 127.0.0.1.
GOOGLE_AUTHORIZE_URL = os.getenv(
    "GOOGLE_AUTHORIZE_URL", "https://accounts.google.com/o/oauth2/v2/auth"
)
GOOGLE_TOKEN_URL = os.getenv("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")
GOOGLE_ACCOUNTS_API = os.getenv(
    "GOOGLE_ACCOUNTS_API", "https://mybusinessaccountmanagement.googleapis.com/v1"
)
GOOGLE_LOCATIONS_API = os.getenv(
    "GOOGLE_LOCATIONS_API", "https://mybusinessbusinessinformation.googleapis.com/v1"
)
GOOGLE_REVIEWS_API = os.getenv("GOOGLE_REVIEWS_API", "https://mybusiness.googleapis.com/v4")
TRUSTPILOT_API = os.getenv("TRUSTPILOT_API", "https://api.trustpilot.com/v1")
TRIPADVISOR_API = os.getenv("TRIPADVISOR_API", "https://api.content.tripadvisor.com/api/v1")
# Pages of reviews read per poll at most (a platform's first poll of a busy business).
CONNECTOR_MAX_PAGES = envint("CONNECTOR_MAX_PAGES", "10")
CONNECTOR_TIMEOUT = envfloat("CONNECTOR_TIMEOUT", "20")
# Seconds a preview may spend reading the page it fetched (selectors), after fetching.
PREVIEW_PARSE_SECONDS = envfloat("PREVIEW_PARSE_SECONDS", "10")
if REQUEST_FETCH_BUDGET + PREVIEW_PARSE_SECONDS + 5 > WEB_TIMEOUT:
    raise ImproperlyConfigured(
        "REQUEST_FETCH_BUDGET + PREVIEW_PARSE_SECONDS must be at least 5 s under WEB_TIMEOUT"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

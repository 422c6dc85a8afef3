"""Settings for e网清, read from the environment (see .env.example for every variable)."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from assessment.celery_schedule import BEAT as ASSESSMENT_BEAT
from audit.celery_schedule import BEAT as AUDIT_BEAT
from events.celery_schedule import BEAT as EVENTS_BEAT
from exports.celery_schedule import BEAT as EXPORTS_BEAT
from mediation.celery_schedule import BEAT as MEDIATION_BEAT
from points.celery_schedule import BEAT as POINTS_BEAT
from registry.celery_schedule import BEAT as REGISTRY_BEAT
from yaohai import queues

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    # Development, the demo and the tests run with DJANGO_DEBUG=1 (the Makefile sets it); production, with DEBUG
    # off, refuses to start rather than sign sessions with a key that is published in this file.
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (50+ random characters) in production, "
            "or set DJANGO_DEBUG=1 for development and tests (see .env.example)."
        )
    SECRET_KEY = "insecure-dev-key-change-me"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
if DEBUG and "DJANGO_ALLOWED_HOSTS" not in env:
    # The demo listens on 0.0.0.0: in DEBUG, opening it by this machine's name or address works too.
    from yaohai.core.hosts import machine_addresses

    ALLOWED_HOSTS += [host for host in machine_addresses() if host not in ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "yaohai.core.error_views.csrf_failure"

INSTALLED_APPS = [
    # Django's admin, on a site that enforces the administrator roles and the second factor (grids.accounts.roles)
    "grids.accounts.admin_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN (docs/adr/0005)
    "mptt",
    "guardian",
    "yaohai.core.axes_app.AxesConfig",  # axes, named in the user's language in the admin
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "yaohai.core",
    "audit",
    "grids",
    "exports",
    "dashboards",
    "events",
    "registry",
    "parties",
    "mediation",
    "points",
    "residents",
    "assessment",
    "cities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yaohai.core.security_headers.SecurityHeadersMiddleware",  # CSP without inline script; Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside the session's: a session touched on the way out is not a write of the page (yaohai.core.replica).
    "yaohai.core.replica.ReplicaPinMiddleware",
    "yaohai.core.sessions.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "audit.context.AuditContextMiddleware",
    # Administrators (and officers where the tenant asks) give a one-time code after the password (grids.accounts).
    "grids.accounts.two_factors.TwoFactorMiddleware",
    "residents.middleware.ResidentConfinementMiddleware",  # a resident's session reaches /r/ only (404 elsewhere)
    "grids.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "yaohai.core.errors.DomainErrorMiddleware",
    # Last, so its process_exception sees a view's database failure first: a 503, never a 500 (yaohai.core.faults).
    "yaohai.core.faults.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "yaohai.urls"
WSGI_APPLICATION = "yaohai.wsgi.application"

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
                "yaohai.core.shell.context",
            ],
        },
    },
]

# The embedded default is SQLite, so a first run needs no other service; production sets DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT planning costs more than it saves on our short dashboard queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
# A read replica (PostgreSQL streaming replication), off by default: with DATABASE_REPLICA_URL set, the dashboards,
# the sheets (exports) and the assessment's pages read from it; writes, and the reads of a request or task after it
# wrote, stay on the primary; a browser that wrote reads from the primary for REPLICA_PIN_SECONDS more
# (yaohai.core.replica, docs/deployment.md). Without the URL the alias is a second name of the primary, never used;
# its TEST mirror lets the tests route to it on the test database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
READ_REPLICA = bool(DATABASE_REPLICA_URL)
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
DATABASES["replica"] = {
    **(env.db_url_config(DATABASE_REPLICA_URL) if READ_REPLICA else DATABASES["default"]),
    **{key: DATABASES["default"][key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS")
       if key in DATABASES["default"]},
    "TEST": {"MIRROR": "default"},
}
DATABASE_ROUTERS = ["yaohai.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "grids.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "grids.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "grids.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "grids.accounts.validators.PasswordHistoryValidator"},
]
# A new password may not repeat the current one nor the last PASSWORD_HISTORY_COUNT (grids.accounts.validators).
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
# API tokens (POST /api/v1/auth/token/) stop working this many hours after they were issued (grids.accounts).
API_TOKEN_LIFETIME_HOURS = env.int("API_TOKEN_LIFETIME_HOURS", default=168)
# Two factors (django-otp, TOTP): the issuer name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="e网清")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # no admin page shows a device's secret or QR code
PASSWORD_HASHERS = env.list(
    "DJANGO_PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: five failures lock the account and, separately, the address, for the cool-off period.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)
# The client's address behind a reverse proxy (yaohai.core.client_ip): X-Forwarded-For is believed only from these
# addresses or networks (DJANGO_TRUSTED_PROXIES, e.g. 127.0.0.1 when nginx runs on the same host). Empty by default:
# the header is then ignored and the address is REMOTE_ADDR.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "yaohai.core.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "yaohai.core.signin.axes_username"  # cut to the 255 characters its record holds

# A 30-minute idle timeout: a request pushes the expiry forward, writing the session at most once a minute
# (yaohai.core.sessions), so a session ends 29 to 30 minutes after its last request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# The partial indexes on open events INCLUDE extra columns on PostgreSQL; SQLite builds them without (W040).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Where `manage.py backup` writes a new folder when it is given none (see docs/deployment.md, backups).
BACKUP_ROOT = env.path("BACKUP_ROOT", default=BASE_DIR / "backups")
# How long the audit trail keeps its rows before the hourly sweep prunes them (等保 2.0 asks for at least 183 days;
# a smaller value is raised to 183).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=183)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "grids.accounts.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "yaohai.core.schema.AutoSchema",  # declares the 400/403/404/409 answers too
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "yaohai.core.pagination.CursorPagination",  # an unreadable cursor is a 400
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "yaohai.core.errors.api_exception_handler",  # then yaohai.core.api_errors for DRF's own
    "DEFAULT_THROTTLE_CLASSES": ["yaohai.core.throttles.AddressThrottle", "yaohai.core.throttles.AccountThrottle"],
}
# Requests per period (s, m, h, d) by address for anonymous callers, by account for signed-in ones, and for the token
# endpoint by address and by user name (yaohai.core.throttles). A throttled caller gets 429 with Retry-After.
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="120/min"),
    "user": env.str("API_THROTTLE_USER", default="1200/min"),
    "sign_in_address": env.str("API_THROTTLE_SIGN_IN_ADDRESS", default="30/min"),
    "sign_in_account": env.str("API_THROTTLE_SIGN_IN_ACCOUNT", default="10/min"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "e网清 API",
    "DESCRIPTION": "Grid-based grassroots governance: every route is scoped to the caller's jurisdiction.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ loads Swagger UI from the platform's own static files: it works without the internet and is
    # pinned with the rest of the lock files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets of several apps share field names (kind, status): each gets its own enum name.
    "ENUM_NAME_OVERRIDES": {
        "NodeKindEnum": "grids.choices.NodeKind",
        "EventStatusEnum": "events.choices.Status",
        "EventSourceEnum": "events.choices.Source",
        "StaffSourceEnum": "events.choices.STAFF_SOURCES",  # what staff may choose when filing (no "resident")
        "OrganisationKindEnum": "registry.choices.OrganisationKind",
        "AccessKindEnum": "registry.choices.AccessKind",
        "HouseholdChangeKindEnum": "registry.choices.HouseholdChangeKind",
        "ResidentStatusEnum": "registry.choices.ResidentStatus",
        "ThingStatusEnum": "registry.choices.ThingStatus",
        "PartyMemberStatusEnum": "parties.choices.MemberStatus",
        "PartyTransferKindEnum": "parties.choices.TransferKind",
        "PartyOrgLevelEnum": "parties.choices.OrgLevel",
        "TopicStatusEnum": "parties.choices.TopicStatus",
        "VolunteerTeamKindEnum": "parties.choices.TeamKind",
        "PartnerOfferKindEnum": "parties.choices.OfferKind",
        "MediationBodyKindEnum": "mediation.choices.BodyKind",
        "MediatorKindEnum": "mediation.choices.MediatorKind",
        "MediationCaseStatusEnum": "mediation.choices.Status",
        "MediationPartyKindEnum": "mediation.choices.PartyKind",
        "PassbookAccountKindEnum": "points.choices.AccountKind",
        "LedgerMovementKindEnum": "points.choices.MovementKind",
        "ServiceRecordStatusEnum": "points.choices.ServiceStatus",
        "RedemptionStatusEnum": "points.choices.RedemptionStatus",
        "NodeSubkindEnum": "grids.choices.NodeSubkind",
        "PartyOrgKindEnum": "parties.choices.OrgKind",
        "ReferralTargetEnum": "mediation.choices.ReferralTarget",
    },
}

# Redis is optional: without REDIS_URL tasks run in-process and periodic jobs run through `manage.py run_periodic`.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None) or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
# Queues by kind — sweeps, exports, assessment, notifications — each task routed by name (yaohai/queues.py), so a
# worker (make worker-sweeps …) takes only its kind; `make worker` takes them all.
CELERY_TASK_DEFAULT_QUEUE = queues.queue_names()[0]
CELERY_TASK_ROUTES = queues.routes()
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {**AUDIT_BEAT, **EXPORTS_BEAT, **EVENTS_BEAT, **MEDIATION_BEAT, **POINTS_BEAT, **REGISTRY_BEAT, **ASSESSMENT_BEAT}

# Exports (台账, exports): a sheet of fewer than EXPORT_SYNC_MAX_ROWS rows (a capped COUNT decides) is built
# inside the request; a larger one, up to EXPORT_MAX_ROWS, by a Celery task (on EXPORT_QUEUE, default: the
# exports queue of CELERY_TASK_ROUTES), and is downloaded from 我的导出 until EXPORT_KEEP_HOURS after it was asked for.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)
EXPORT_MAX_ROWS = env.int("EXPORT_MAX_ROWS", default=200000)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=72)
EXPORT_QUEUE = env.str("EXPORT_QUEUE", default="")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and env.bool("CACHE_USE_REDIS", default=True)
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# How long a computed dashboard may be served from the cache (dashboards.cache; a write under the node or
# the next deadline ends it sooner). Only with a cache all processes share (Redis); 0 turns it off.
_SHARED_CACHE = "redis" in CACHES["default"]["BACKEND"].lower()
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300 if _SHARED_CACHE else 0)

# Security: production (DEBUG off) gets HTTPS-only cookies and HSTS; set DJANGO_SECURE_SSL_REDIRECT=false behind a
# proxy that already redirects.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The pages that may ask for the position or the camera (yaohai.core.security_headers; every other page: none).
PERMISSIONS_POLICY_PAGES = {
    "events:report": ("geolocation", "camera"),
    "registry:patrol": ("geolocation", "camera"),
    "residents:report": ("geolocation", "camera"),  # 随手拍
    "events:detail": ("camera",),  # the steps' photos
}
X_FRAME_OPTIONS = "DENY"

# Uploads: whole requests stay small; per-file checks live in the forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 12
# The pixels all the photos of one request may hold together, read from their headers before any is decoded
# (events.images): re-encoding costs time in proportion to pixels, not bytes.
PHOTO_REQUEST_MAX_PIXELS = env.int("PHOTO_REQUEST_MAX_PIXELS", default=80_000_000)
# The CJK font the agreement PDF is drawn in (mediation/pdf.py; Debian package fonts-wqy-microhei).
PDF_FONT_PATH = env.str("PDF_FONT_PATH", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# Personal data (registry, docs/adr/0005): identity numbers and phones are encrypted field by field. Keys are
# "id=base64(32 random bytes)", comma-separated, the first one current (older ones still open what they sealed until
# manage.py rotate_personal_data_key re-seals it); the index key keys the blind indexes of exact look-ups. With
# DJANGO_DEBUG on and no keys, a published development key is used; without DEBUG the registry refuses to run.
PERSONAL_DATA_KEYS = env.str("PERSONAL_DATA_KEYS", default="")
PERSONAL_DATA_INDEX_KEY = env.str("PERSONAL_DATA_INDEX_KEY", default="")
if DEBUG:
    PERSONAL_DATA_KEYS = PERSONAL_DATA_KEYS or "dev=ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE="
    PERSONAL_DATA_INDEX_KEY = PERSONAL_DATA_INDEX_KEY or "ZGV2ZWxvcG1lbnQtb25seS1ibGluZC1pbmRleC1rZXk="
# aes-gcm (AES-256-GCM) or sm4-gcm (the national algorithm, for 密评); each value records its own cipher.
PERSONAL_DATA_CIPHER = env.str("PERSONAL_DATA_CIPHER", default="aes-gcm")

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Yaohai-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own console handler (DEBUG only) would print every django.* line a second time beside the
        # root's: configured here without handlers, its records reach the console once, through the root.
        "django": {"handlers": [], "level": "INFO"},
    },
}


# Residents (docs/residents.md): where sign-in codes go. The console and file senders are for development, the demo
# and the tests; production names its SMS gateway's class (residents.senders.CodeSender).
RESIDENT_CODE_SENDER = env.str("RESIDENT_CODE_SENDER", default="residents.senders.ConsoleSender")
RESIDENT_CODE_FILE = env.path("RESIDENT_CODE_FILE", default=BASE_DIR / "var" / "resident_codes.jsonl")

"""Settings shared by every environment. Everything deployment-specific comes from the
environment; without it the embedded default applies (SQLite, eager Celery, local files)."""

import datetime as dt
from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import ConfigurationError, database_config, env, mailers_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "allauth",
    "allauth.account",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "contest",
    "submissions",
    "judging",
    "awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A lost database answers a plain 503 page with Retry-After (config/middleware.py).
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The stored landing and results pages for visitors, before the rest of the stack.
    "contest.public_cache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session timeouts for staff roles, the two-step login, refused-access audit.
    "config.security.SessionTimeoutMiddleware",
    "config.security.OTPStepMiddleware",
    "config.security.AccessAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lock-out page.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contest.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": database_config(f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt while the e-mail + IP pair is locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
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
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail login, verified addresses.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cuộc thi CCHC] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
}

# Public look-up (/tra-cuu/): failed attempts allowed per client IP and per code in a window.
LOOKUP_MAX_FAILURES = env.int("LOOKUP_MAX_FAILURES", default=10)
LOOKUP_WINDOW_SECONDS = env.int("LOOKUP_WINDOW_SECONDS", default=15 * 60)

# Language, time, formats: Vietnamese first.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Files: local disk by default, S3-compatible storage when AWS_STORAGE_BUCKET_NAME is set.
# Uploaded files are never served at a public URL; downloads go through permission checks.
_bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if _bucket:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Mail (Django 6.1 MAILERS): written to var/mail unless EMAIL_URL (smtp://...) is set.
MAILERS = mailers_config(file_path=VAR_DIR / "mail")
SERVER_EMAIL = env.str("SERVER_EMAIL", default="cchc@langson.gov.vn")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cuộc thi CCHC <cchc@langson.gov.vn>")

# Celery: eager without REDIS_URL, a real broker with it.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Publishing fails fast when the broker is down (no retries in the request): the job stays in
# the outbox (contest/outbox.py) and the flush sends it later. Requests never wait on Redis.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Certificates: how many one job lays out as one document, and after how long a rendering
# that started and never finished (its worker died) is queued again.
AWARDS_CERTIFICATE_BATCH = env.int("AWARDS_CERTIFICATE_BATCH", default=50)
AWARDS_CERTIFICATE_STALE_SECONDS = env.int("AWARDS_CERTIFICATE_STALE_SECONDS", default=300)
# Celery beat (one process per deployment): periodic tasks.
CELERY_BEAT_SCHEDULE = {
    # Monitoring: /healthz and the beat container's health check read the last heartbeat.
    "worker-heartbeat": {"task": "contest.tasks.task_record_heartbeat", "schedule": 60.0},
    # Jobs written while the broker was unreachable (contest/outbox.py).
    "outbox-flush": {"task": "contest.tasks.task_outbox_flush", "schedule": 60.0},
    # Certificates a killed worker left half done (awards.services.certificates_requeue_stale).
    "certificates-requeue-stale": {
        "task": "awards.tasks.task_requeue_stale_certificates",
        "schedule": 60.0,
    },
    # Daily: remind units short of their quota before the forwarding deadline (once per unit).
    "quota-reminders-daily": {
        "task": "submissions.tasks_screening.task_send_all_quota_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}

if REDIS_URL:
    # Degrades to an empty cache while Redis is unreachable (config/cache.py): short timeouts.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions are read from Redis and written to both: a signed-in page costs one database
    # query less; while Redis is away they are read from the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers that hold in every environment; production adds HTTPS-only ones.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step at INFO; fontTools every subset.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

PORTAL_SITE_URL = env.str("PORTAL_SITE_URL", default="http://127.0.0.1:8000")
# Landing and results pages for visitors, cached per contest (contest/public_cache.py);
# 0 turns the cache off. Saving what they show invalidates them; this is only a backstop.
PORTAL_PUBLIC_PAGE_CACHE_SECONDS = env.int("PORTAL_PUBLIC_PAGE_CACHE_SECONDS", default=300)
# Contest-wide totals (judging boards, organizers' statistics; contest/totals.py) are
# recounted at most this often; the secretariat's own changes recount the judging boards at
# once; 0 counts on every load.
PORTAL_TOTALS_CACHE_SECONDS = env.int("PORTAL_TOTALS_CACHE_SECONDS", default=30)

# Login throttling (django-axes): 5 failures for one e-mail from one IP lock that pair out for
# 15 minutes; the owner on another address is never locked out, and nothing is permanent.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful logins go to the event log (accounts/security.py)
AXES_VERBOSE = False
# allauth's own limit stays as a second net: many addresses from one IP, or one address
# guessed from many IPs (30 an hour), are slowed down; its default (5 per address from anywhere)
# would let an attacker lock the owner out, which the axes pair lock-out exists to avoid.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,30/h/key"}

# Sessions of staff, heads, secretariat, judges and organizers end after 30 idle minutes and
# 12 hours after login at most (config/security.py); entrants keep the normal session age.
PORTAL_STAFF_IDLE_TIMEOUT = env.int("PORTAL_STAFF_IDLE_TIMEOUT", default=30 * 60)
PORTAL_STAFF_ABSOLUTE_TIMEOUT = env.int("PORTAL_STAFF_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
# Two-step login with an authenticator app (TOTP): optional unless this is set.
PORTAL_REQUIRE_OTP_FOR_STAFF = env.bool("PORTAL_REQUIRE_OTP_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = "Cuộc thi CCHC Lạng Sơn"
# The admin never shows another user's TOTP secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True


def require_secret_key(value: str) -> str:
    placeholder = value.startswith(("django-insecure", "change-me"))
    if not value or placeholder or len(value) < 50:
        raise ConfigurationError(
            "SECRET_KEY phải được đặt (ít nhất 50 ký tự ngẫu nhiên) khi chạy production"
        )
    return value

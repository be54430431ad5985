"""Settings for jixiao. Every deploy value comes from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import database_from_url, env_bool, env_int, env_list, env_str
from config.production_guard import DEV_SECRET_KEY
from config.storage import default_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Without DJANGO_SECRET_KEY the development key is used; with DEBUG off the WSGI application and the
# Celery worker refuse to start with it (config/production_guard.py), and `check --deploy` fails.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "") or DEV_SECRET_KEY
# With DEBUG off the hosts must be named (an empty list refuses to start, see above).
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "jixiao.documents",
    "jixiao.organisations",
    "jixiao.campaigns",
    "jixiao.evaluations",
    "jixiao.reviews",
    "jixiao.audit",
    "jixiao.portal",
    "jixiao.web",
    "jixiao.activity",
    "jixiao.jobs",
    "jixiao.accounts",
    "jixiao.projects",
    "jixiao.targets",
    "jixiao.rectification",
    "jixiao.results",
    "jixiao.notifications",
    "jixiao.monitoring",
    "jixiao.indicators",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
]

AUTH_USER_MODEL = "organisations.User"

MIDDLEWARE = [
    # Outermost of all: every log line of the request, and every response, carries its id.
    "jixiao.web.request_id.RequestIdMiddleware",
    # Outermost, so every response carries them (also the refusals of the middleware below).
    "jixiao.web.security_headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CsrfViewMiddleware reads POST): refuses oversized bodies.
    "jixiao.web.request_limits.RequestBodyLimitMiddleware",
    # Outside everything that parses the body: deletes an interrupted upload's temporary file.
    "jixiao.web.upload_cleanup.UploadCleanupMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: an idle sign-out leaves a message on the login page.
    "jixiao.web.session_idle.SessionIdleTimeoutMiddleware",
    "jixiao.web.api_rate_limit.ApiRateLimitMiddleware",
    # Before anything else: the second factor, then a forced or expired password change.
    "jixiao.accounts.middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jixiao.web.context_processors.navigation",
                "jixiao.web.context_processors.session_idle",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The covering indexes' INCLUDE columns are a PostgreSQL feature (docs/scale.md); SQLite, the
# embedded default, builds the key columns only, which is what we want there, so its warning about
# the ignored columns is noise on every migrate.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3") else []
)

PASSWORD_HASHERS = [
    # Django's argon2 (same hashes), one hash at a time per process (threaded gunicorn workers).
    "jixiao.accounts.hashers.OneAtATimeArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Password rules (等保 2.0 level 3): at least 10 characters of three classes, not the username or
# the organisation's name, not common, not one of the last 5 (jixiao/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email")},
    },
    {
        "NAME": "jixiao.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jixiao.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "jixiao.accounts.passwords.NamesValidator"},
    {"NAME": "jixiao.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"remember": 5}},
]
# Days a password may be used before the user must choose a new one (0: no expiry).
JIXIAO_PASSWORD_MAX_AGE_DAYS = env_int("JIXIAO_PASSWORD_MAX_AGE_DAYS", 0)
# Two-factor sign-in (TOTP) required of 财政复核人 and 财政管理员. Off unless set, so the demo
# (`make run`) signs in with the password alone; .env.example (production) turns it on, and
# `check --deploy` warns while it is off.
JIXIAO_REQUIRE_2FA_FOR_BUREAU = env_bool("JIXIAO_REQUIRE_2FA_FOR_BUREAU", default=False)
OTP_TOTP_ISSUER = env_str("JIXIAO_OTP_ISSUER", "jixiao")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("JIXIAO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
_MANIFEST_STATIC = not DEBUG and env_bool("JIXIAO_MANIFEST_STATIC", default=False)
# Without collectstatic (development, `make run`, tests) whitenoise serves straight from the apps.
WHITENOISE_USE_FINDERS = not _MANIFEST_STATIC
STORAGES = {
    # Uploaded and generated files: local disk, or S3-compatible object storage (config/storage.py).
    "default": default_storage_from_env(
        {
            "JIXIAO_STORAGE": env_str("JIXIAO_STORAGE", ""),
            "JIXIAO_S3_BUCKET": env_str("JIXIAO_S3_BUCKET", ""),
            "JIXIAO_S3_ENDPOINT_URL": env_str("JIXIAO_S3_ENDPOINT_URL", ""),
            "JIXIAO_S3_REGION": env_str("JIXIAO_S3_REGION", ""),
            "JIXIAO_S3_ACCESS_KEY_ID": env_str("JIXIAO_S3_ACCESS_KEY_ID", ""),
            "JIXIAO_S3_SECRET_ACCESS_KEY": env_str("JIXIAO_S3_SECRET_ACCESS_KEY", ""),
            "JIXIAO_S3_PREFIX": env_str("JIXIAO_S3_PREFIX", ""),
            "JIXIAO_S3_ADDRESSING_STYLE": env_str("JIXIAO_S3_ADDRESSING_STYLE", ""),
        }
    ),
    "staticfiles": {
        "BACKEND": (
            (
                "whitenoise.storage.CompressedManifestStaticFilesStorage"
                if env_bool("JIXIAO_STATIC_COMPRESS", default=True)
                else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            )
            if _MANIFEST_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("JIXIAO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Background jobs (jixiao.jobs). Where they run: "auto" = a Celery worker when CELERY_BROKER_URL is
# set, else a background thread of the web process; "thread", "celery", or "sync" (tests: right after
# the commit, in the calling thread). Never inside the request that asked for them.
JIXIAO_JOBS_RUNNER = env_str("JIXIAO_JOBS_RUNNER", "auto")
# Jobs the embedded runner runs at once (the others wait, 排队中).
JIXIAO_JOBS_THREADS = env_int("JIXIAO_JOBS_THREADS", 2)
# A running job beats every HEARTBEAT seconds; one silent for STALE seconds lost its worker and is
# marked failed. A job not started after QUEUE_TIMEOUT seconds is marked failed too.
JIXIAO_JOBS_HEARTBEAT_SECONDS = env_int("JIXIAO_JOBS_HEARTBEAT_SECONDS", 10)
JIXIAO_JOBS_STALE_SECONDS = env_int("JIXIAO_JOBS_STALE_SECONDS", 120)
JIXIAO_JOBS_QUEUE_TIMEOUT_SECONDS = env_int("JIXIAO_JOBS_QUEUE_TIMEOUT_SECONDS", 3600)
# When the broker cannot be reached as a job is queued: "thread" runs it in the web process's thread
# runner (its page says so), "fail" ends it failed with 任务队列不可用.
JIXIAO_JOBS_BROKER_FALLBACK = env_str("JIXIAO_JOBS_BROKER_FALLBACK", "thread")
# A job in parts (jixiao.jobs.parts) asks at most FANOUT more Celery workers to share its parts.
JIXIAO_JOBS_FANOUT = env_int("JIXIAO_JOBS_FANOUT", 4)
# 批量生成: a batch of more units than this is split per department into ZIPs of at most this many
# units (plus an index); each is a part that a retry does not redo.
JIXIAO_BATCH_PART_UNITS = env_int("JIXIAO_BATCH_PART_UNITS", 100)
# 报送进度 Excel: a table of more rows than this is made by a background job, not in the request.
JIXIAO_PROGRESS_XLSX_JOB_ROWS = env_int("JIXIAO_PROGRESS_XLSX_JOB_ROWS", 5000)

# Celery: Redis as the broker in production. Without a broker the job runner uses threads (above);
# other tasks run eagerly in the calling process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
# A broker that is down must fail an enqueue in a few seconds (the job then ends failed with a
# reason), not hold the request through kombu's default retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Jobs are long: a worker takes one at a time, so a second worker takes the next one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-jobs": {"task": "jixiao.jobs.sweep_stale_jobs", "schedule": 60.0},
    # Notifications (jixiao.notifications): send what is due and retry failures every minute; the
    # deadline reminders each morning, the daily digests each evening (TIME_ZONE).
    "deliver-notifications": {"task": "jixiao.notifications.deliver_due", "schedule": 60.0},
    "deadline-reminders": {
        "task": "jixiao.notifications.remind_deadlines",
        "schedule": crontab(hour=8, minute=0),
    },
    "daily-digest": {
        "task": "jixiao.notifications.send_digests",
        "schedule": crontab(hour=17, minute=30),
    },
    # Notifications past their retention (JIXIAO_NOTIFICATIONS_KEEP_DAYS), at night.
    "purge-notifications": {
        "task": "jixiao.notifications.purge_old",
        "schedule": crontab(hour=3, minute=15),
    },
}
CELERY_TIMEZONE = TIME_ZONE

# Email (notifications). Without EMAIL_HOST mails are printed to the console (the demo, `make run`);
# with it they go through that SMTP server.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jixiao@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# The address of the site as people reach it, for the links in mails.
JIXIAO_SITE_URL = env_str("JIXIAO_SITE_URL", "http://127.0.0.1:8000")
# SMS: the sender class (jixiao.notifications.sms; docs/notifications.md says how to plug in a
# provider), and the gateway domain of the email-to-SMS sender.
JIXIAO_SMS_SENDER = env_str("JIXIAO_SMS_SENDER", "jixiao.notifications.sms.ConsoleSmsSender")
JIXIAO_SMS_EMAIL_DOMAIN = env_str("JIXIAO_SMS_EMAIL_DOMAIN", "")
# Retention: the daily tick deletes read notifications, and sent or failed mails and text messages,
# older than this many days; unread ones after JIXIAO_NOTIFICATIONS_KEEP_UNREAD_DAYS (0: never).
# 0 keeps everything (docs/notifications.md, "Retention").
JIXIAO_NOTIFICATIONS_KEEP_DAYS = env_int("JIXIAO_NOTIFICATIONS_KEEP_DAYS", 365)
JIXIAO_NOTIFICATIONS_KEEP_UNREAD_DAYS = env_int("JIXIAO_NOTIFICATIONS_KEEP_UNREAD_DAYS", 0)

# Evidence uploads (佐证材料).
JIXIAO_EVIDENCE_MAX_BYTES = env_int("JIXIAO_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# The largest request body of any page or API call that takes no file; sign-in takes 16 KB and the
# upload routes their forms' file limits (jixiao/web/request_limits.py). Refused with 413 unread.
JIXIAO_MAX_REQUEST_BYTES = env_int("JIXIAO_MAX_REQUEST_BYTES", 2 * 1024 * 1024)
# JSON API calls per minute per account, and per address for anonymous callers (429 beyond).
JIXIAO_API_RATE_PER_MINUTE = env_int("JIXIAO_API_RATE_PER_MINUTE", 120)
JIXIAO_API_ANON_RATE_PER_MINUTE = env_int("JIXIAO_API_ANON_RATE_PER_MINUTE", 30)

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# A load balancer probes over plain HTTP on the private network: its probes are not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# X-Forwarded-Proto is trusted only behind a proxy that sets it (and strips what clients send);
# otherwise any client could claim HTTPS.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("JIXIAO_TRUST_X_FORWARDED_PROTO", default=False)
    else None
)

# Sessions end after this many minutes without activity (等保: 登录连接超时自动退出), with a warning
# in the page two minutes before; and after JIXIAO_SESSION_MAX_HOURS whatever happens.
JIXIAO_SESSION_IDLE_MINUTES = env_int("JIXIAO_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("JIXIAO_SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttle (jixiao/accounts/throttle.py), kept in the database so it works without the
# cache: after this many failures for one username, each further attempt waits DELAY seconds,
# doubling per failure up to MAX_DELAY. Failures older than WINDOW are forgotten.
JIXIAO_LOGIN_MAX_FAILURES = env_int("JIXIAO_LOGIN_MAX_FAILURES", 5)
JIXIAO_LOGIN_DELAY_SECONDS = env_int("JIXIAO_LOGIN_DELAY_SECONDS", 30)
JIXIAO_LOGIN_MAX_DELAY_SECONDS = env_int("JIXIAO_LOGIN_MAX_DELAY_SECONDS", 15 * 60)
JIXIAO_LOGIN_WINDOW_SECONDS = env_int("JIXIAO_LOGIN_WINDOW_SECONDS", 24 * 3600)
# One address (a NAT, a proxy) is delayed only beyond this many distinct usernames failing, or this
# many failures in all, within ADDRESS_WINDOW: never for one person's typos.
JIXIAO_LOGIN_ADDRESS_MAX_USERNAMES = env_int("JIXIAO_LOGIN_ADDRESS_MAX_USERNAMES", 20)
JIXIAO_LOGIN_ADDRESS_MAX_FAILURES = env_int("JIXIAO_LOGIN_ADDRESS_MAX_FAILURES", 100)
JIXIAO_LOGIN_ADDRESS_WINDOW_SECONDS = env_int("JIXIAO_LOGIN_ADDRESS_WINDOW_SECONDS", 3600)
# A browser a user signed in from is a known device for that long: failures from elsewhere do not
# delay that user there.
JIXIAO_LOGIN_DEVICE_DAYS = env_int("JIXIAO_LOGIN_DEVICE_DAYS", 180)
# Reverse proxies in front of the server whose X-Forwarded-For is trusted (0: use REMOTE_ADDR).
JIXIAO_TRUSTED_PROXIES = env_int("JIXIAO_TRUSTED_PROXIES", 0)

# The shared cache (Redis in production). Sign-in does not depend on it (the throttle is in the
# database).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("CACHE_URL")}
        if env_str("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Logs go to stderr with the request id on every line; JIXIAO_LOG_FORMAT=json writes one JSON object
# per line for a log collector (docs/deploy.md), "text" (the default) a readable line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "jixiao.web.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "jixiao.web.request_id.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if env_str("JIXIAO_LOG_FORMAT", "text") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

"""Settings shared by every environment. Production differs only through the environment."""

from __future__ import annotations

from jiuzhu.config.env import BASE_DIR, DATA_DIR, env

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "jiuzhu.common",
    "jiuzhu.audit",
    "jiuzhu.regions",
    "jiuzhu.printing",
    "jiuzhu.accounts",
    "jiuzhu.jobs",
    "jiuzhu.registry",
    "jiuzhu.programs",
    "jiuzhu.cases",
    "jiuzhu.payments",
    "jiuzhu.verification",
    "jiuzhu.onboarding",
    "jiuzhu.lowincome",
    "jiuzhu.reports",
    "jiuzhu.web",
    "jiuzhu.api",
    "jiuzhu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiuzhu.common.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiuzhu.config.urls"
WSGI_APPLICATION = "jiuzhu.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite (WAL) under the data folder unless DATABASE_URL says otherwise.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'jiuzhu.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Files: uploads live in the data folder, through Django's storage API.
MEDIA_ROOT = env.str("JIUZHU_MEDIA_ROOT", default=str(DATA_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = env.str("JIUZHU_STATIC_ROOT", default=str(DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
JIUZHU_UPLOAD_MAX_BYTES = env.int("JIUZHU_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

# --- Printing: static Regular/Bold cuts of the Noto Sans SC variable font (built once, ~10 MB each).
JIUZHU_FONT_CACHE = env.str("JIUZHU_FONT_CACHE", default=str(DATA_DIR / "fonts"))

# --- Sensitive data: ID and bank numbers are encrypted at rest, found by a keyed hash.
JIUZHU_DATA_KEY = env.str("JIUZHU_DATA_KEY", default="")

# --- Language and time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Login and sessions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "jiuzhu.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiuzhu.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = env.int("JIUZHU_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry: the clock restarts on every request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = env.int("JIUZHU_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("JIUZHU_LOGIN_COOLOFF_HOURS", default=0.5)
# Lock the account, not the address: offices share one intranet address behind NAT, and locking
# it would lock out a whole township after one user's typos.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

# --- Security headers. The pages load nothing from outside and run no inline script.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- API.
JIUZHU_API_TOKEN_SECONDS = env.int("JIUZHU_API_TOKEN_SECONDS", default=8 * 3600)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jiuzhu.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jiuzhu.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "救助 Jiuzhu API",
    "DESCRIPTION": "社会救助管理信息系统接口。所有数据按用户辖区过滤。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Code lists whose field names repeat across resources ("kind") get stable component names.
    "ENUM_NAME_OVERRIDES": {
        "IncomeKindEnum": "jiuzhu.registry.choices.IncomeKind",
        "AssetKindEnum": "jiuzhu.registry.choices.AssetKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": "jiuzhu.common.logging.MaskSensitiveFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask"]}},
    "root": {"handlers": ["console"], "level": env.str("JIUZHU_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Background jobs (jiuzhu.jobs): django-tasks on the database-backed queue, in the same database;
# `jiuzhu db_worker` is the worker (`dev.py run` starts one beside the server). On PostgreSQL, run
# as many workers on as many machines as needed: they claim tasks with SELECT … FOR UPDATE SKIP LOCKED.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JIUZHU_JOB_STALL_SECONDS = env.int("JIUZHU_JOB_STALL_SECONDS", default=600)
# Files that jobs make (bank files, large exports) are kept, encrypted, this many days for their requester.
JIUZHU_JOB_FILE_DAYS = env.int("JIUZHU_JOB_FILE_DAYS", default=7)
# The largest agency file an import takes (they are stored encrypted and read as a stream).
JIUZHU_IMPORT_MAX_BYTES = env.int("JIUZHU_IMPORT_MAX_BYTES", default=2 << 30)
# Days the coordinator and township have to confirm or dismiss a cross-check finding (核查疑点).
JIUZHU_FLAG_DUE_DAYS = env.int("JIUZHU_FLAG_DUE_DAYS", default=30)
# A bank file or roster for more households than this is made by a background job, not in the request.
JIUZHU_INLINE_FILE_MAX_HOUSEHOLDS = env.int("JIUZHU_INLINE_FILE_MAX_HOUSEHOLDS", default=5000)

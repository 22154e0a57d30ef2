"""Settings for the CRM glossary, configured from the environment (twelve-factor style).

With no environment at all the site runs on SQLite with debug off, which is why
DJANGO_SECRET_KEY is then required; `make run` sets DJANGO_DEBUG=1 for local use.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    """Read a boolean from the environment: 1/true/yes/on or 0/false/no/off."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def envlist(name: str, default: str) -> list[str]:
    """Read a comma-separated list from the environment, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Never fall back to a known key in production: sessions and CSRF tokens would be forgeable.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its translated fields show in admin forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ninja",
    # Records every change to glossary content (who, when, what) for the admin history and undo.
    "simple_history",
    # Data flows one way: kb.core <- glossary <- kb.articles; kb.nps uses kb.core only; the
    # site package (kb) wires them together.
    "kb.core",
    "kb.nps",
    "glossary",
    "kb.articles",
    "kb",
    # After glossary, whose rebuild_index (one segment per language) replaces haystack's.
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it may read the language from them) and before common (so the
    # APPEND_SLASH redirect keeps the language prefix).
    "django.middleware.locale.LocaleMiddleware",
    # After the locale middleware, so its 400 message is in the visitor's language.
    "kb.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: history records name the user who made each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kb.urls"

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
                "kb.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "kb.wsgi.application"

# SQLite is the embedded default; DATABASE_URL=postgres://user:pass@host/db selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; the timeout absorbs short write bursts.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every process of the machine shares: the term auto-linker keeps a "terms changed"
# generation in it, and a per-process memory cache would let other workers link stale terms.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------------------------
# French is the source language of the content; every page exists under /fr/, /it/ and /en/.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("it", _("Italian")),
    ("en", _("English")),
]
# Our own translations (interface strings) live at the project root, not inside an app.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# modeltranslation: fr is the default (source) language. No automatic fallback: pages choose
# a fallback language themselves and say so to the reader (glossary/languages.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "it", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ()}
# The tabbed translation admin loads jQuery UI from a Google CDN by default; serve our copy.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"

# --- Security --------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every page refuses to be framed (X_FRAME_OPTIONS) except the NPS calculator's embed, which
# sends "Content-Security-Policy: frame-ancestors <this>": "*" lets any site embed it; list
# origins ("https://a.example https://b.example") to restrict it.
NPS_EMBED_FRAME_ANCESTORS = os.environ.get("NPS_EMBED_FRAME_ANCESTORS", "").strip() or "*"

# --- Search ----------------------------------------------------------------------------------
# Views, the API and commands call one engine interface (glossary/search/engine.py); this is
# the engine behind it.
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "glossary.search.whoosh.WhooshEngine")
if os.environ.get("SEARCH_URL"):
    raise ImproperlyConfigured(
        "SEARCH_URL (Elasticsearch) is no longer supported: unset it and run rebuild_index."
    )
# The Whoosh engine keeps one index per language (haystack connections "fr", "it", "en"),
# each analysed in its own language, in files under SEARCH_INDEX_DIR/<lang>/. Haystack
# requires a "default" connection: a no-op one, so rebuild_index builds exactly these three.
# Tests get a temporary SEARCH_INDEX_DIR (tests/settings.py), never the dev index.
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR") or BASE_DIR / "var" / "search")
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"},
    **{
        code: {
            "ENGINE": "glossary.search.backends.GlossaryWhooshEngine",
            "PATH": str(SEARCH_INDEX_DIR / code),
            "LANGUAGE": code,
        }
        for code, _name in LANGUAGES
    },
}
# Searches use the active language's connection; writes go to all three.
HAYSTACK_ROUTERS = ["glossary.search.routers.LanguageRouter"]
# Haystack's realtime processor writes inside the request and drops lock errors; ours
# schedules each write after the commit (glossary/search/indexing.py).
HAYSTACK_SIGNAL_PROCESSOR = "glossary.search.indexing.TermSignalProcessor"
# Seconds a write waits for another process's index lock (a full rebuild of 10,000 terms
# takes 9 to 15 s).
SEARCH_LOCK_TIMEOUT = float(os.environ.get("SEARCH_LOCK_TIMEOUT", "60"))

# --- Site ------------------------------------------------------------------------------------
# The brand shown in headers and titles; translated unless the operator sets one.
SITE_NAME = os.environ.get("SITE_NAME") or _("CRM Glossary")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

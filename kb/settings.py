"""Settings for the CRM glossary, configured from the environment (twelve-factor style).

With no environment at all the site runs on SQLite with debug off, which is why
DJANGO_SECRET_KEY is then required; `make run` sets DJANGO_DEBUG=1 for local use.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kb.core.cache_url import cache_from_url

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


def envint(name: str, default: int) -> int:
    """Read a whole number from the environment."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


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
    # Counts failed admin logins and refuses them for a while after too many (see "Login
    # throttling" below).
    "axes",
    # Records every change to glossary content (who, when, what) for the admin history and undo.
    "simple_history",
    # Data flows one way: kb.core <- glossary <- kb.articles; kb.nps uses kb.core only; the
    # site package (kb) wires them together.
    "kb.core",
    "kb.nps",
    "glossary",
    "kb.articles",
    # Reader feedback ("Was this page helpful?"); uses kb.core only, the site wires it to pages.
    "kb.feedback",
    "kb",
    # After glossary, whose rebuild_index (one segment per language) replaces haystack's.
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after security: static files are answered here, before sessions, locale and the
    # rest do any work (they still get HSTS and nosniff from the security middleware).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Headers for every page, also those that middleware further down answers by itself.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it may read the language from them) and before common (so the
    # APPEND_SLASH redirect keeps the language prefix).
    "django.middleware.locale.LocaleMiddleware",
    # After the locale middleware, so its 400 message is in the visitor's language.
    "kb.middleware.RejectNulBytesMiddleware",
    # Before anything that reads the session or the database for a request (CSRF, auth,
    # messages), so a cached page costs no query; after locale, whose language is in its key.
    "kb.core.pagecache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: history records name the user who made each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
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

# The cache every process shares: it holds the content generation (kb/core/generation.py) that
# keys cached pages, rendered definitions and the auto-linker's patterns, so a per-process memory
# cache would let other workers serve stale content. CACHE_URL picks it (kb/core/cache_url.py):
# unset, a file cache on this machine (CACHE_DIR); redis://host:port/db for a site on more than
# one machine; db:// for the database's own table.
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL", ""),
        default_dir=os.environ.get("CACHE_DIR") or BASE_DIR / "var" / "cache",
    )
}
# Public pages served from that cache while the content is unchanged (kb/core/pagecache.py):
# URL names of views whose anonymous GET answers are the same for every visitor. PAGE_CACHE=0
# turns it off (every page rendered, e.g. to measure rendering).
PAGE_CACHE_VIEWS = [
    "sitemap",
    "kb:home",
    "glossary:term-index",
    "glossary:term-detail",
    "glossary:category-list",
    "glossary:category-detail",
    "articles:article-list",
    "articles:article-detail",
    "articles:section-detail",
    "nps:calculator",  # without a query string: the empty calculator, never a result
]
if not envbool("PAGE_CACHE", True):
    PAGE_CACHE_VIEWS = []

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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
# The site serves its own static files (WhiteNoise): `collectstatic` copies them to STATIC_ROOT
# with a hash of their content in their names, compressed (gzip), and they are then served
# with a one-year, immutable cache lifetime. With debug on (`make run`) they are read straight
# from the apps' static/ folders, so no collectstatic is needed.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "var" / "static")
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
# Files served at the site's root rather than under /static/: /favicon.ico, which browsers
# and crawlers ask for whatever the pages' <link rel="icon"> say.
WHITENOISE_ROOT = BASE_DIR / "kb" / "root_files"

# --- Security --------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The HTTPS proxy in front says the visitor's scheme in X-Forwarded-Proto; it must set (not
# pass on) that header, or a visitor could claim HTTPS over plain HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# With debug off, plain HTTP is redirected to HTTPS and browsers are told to use HTTPS only for
# a year (HSTS). A proxy that already does either can turn ours off: DJANGO_SSL_REDIRECT=0,
# DJANGO_HSTS_SECONDS=0. HSTS covers subdomains of the site's host name (not its parent's);
# the "preload" flag is the operator's choice (DJANGO_HSTS_PRELOAD=1) because being on the
# browsers' preload list is hard to undo.
SECURE_SSL_REDIRECT = envbool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", False)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = [
    # "HSTS preload is not set": preloading is the operator's decision (DJANGO_HSTS_PRELOAD=1),
    # not a default; the site sends HSTS either way.
    "security.W021",
]
# Content-Security-Policy on every page (django-csp): scripts, styles, images and fonts come
# from this site only, so no inline script or style runs (JSON-LD blocks are data, not
# scripts); no plugins, no <base> elsewhere, forms post here only, and no site may frame a page
# (the NPS embed sets its own frame-ancestors, NPS_EMBED_FRAME_ANCESTORS below). The API docs
# page adds the data: images Swagger UI needs (kb/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Powerful browser features no page of the site uses, refused to the pages and anything they
# might embed (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Every page refuses to be framed (X_FRAME_OPTIONS) except the NPS calculator's embed, which
# sends "Content-Security-Policy: frame-ancestors <this>": "*" lets any site embed it; list
# origins ("https://a.example https://b.example") to restrict it.
NPS_EMBED_FRAME_ANCESTORS = os.environ.get("NPS_EMBED_FRAME_ANCESTORS", "").strip() or "*"

# --- Login throttling (django-axes) ----------------------------------------------------------
# After AXES_FAILURE_LIMIT failed admin logins for one user name, or from one address, further
# attempts are refused (even with the right password) until the cool-off has passed or an
# operator unlocks them (`manage.py axes_reset_username NAME`, `axes_reset_ip ADDRESS`,
# `axes_reset`). Either one suffices: per name stops a guessing spread over many addresses, per
# address stops one address trying many names. Attempts during a lockout restart the cool-off.
AXES_FAILURE_LIMIT = envint("DJANGO_LOGIN_FAILURE_LIMIT", 10)
_cooloff_minutes = envint("DJANGO_LOGIN_COOLOFF_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or _cooloff_minutes < 1:
    # A zero cool-off would lock names and addresses out until an operator resets them.
    raise ImproperlyConfigured(
        "DJANGO_LOGIN_FAILURE_LIMIT and DJANGO_LOGIN_COOLOFF_MINUTES must be at least 1."
    )
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "kb.middleware.lockout_response"
# The address a login comes from (kb.core.addresses.client_ip): REMOTE_ADDR, which behind a proxy
# is the proxy's. DJANGO_PROXY_COUNT=N, the number of proxies in front of the site that each
# append to X-Forwarded-For, reads it from that header instead; never set it without them,
# since anyone can write the header.
PROXY_COUNT = envint("DJANGO_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "kb.core.addresses.client_ip"

# --- Search ----------------------------------------------------------------------------------
# Views, the API and commands call one engine interface (glossary/search/engine.py); this is
# the engine behind it.
# SEARCH_URL=postgres: PostgreSQL full-text search in the site's own database, current in the
# same transaction as the content, so every app server sees the same results (a site on more
# than one machine); unset, the Whoosh files of this machine.
SEARCH_URL = os.environ.get("SEARCH_URL", "").strip()
if SEARCH_URL.lower() in ("postgres", "postgresql", "postgres://", "postgresql://"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "SEARCH_URL=postgres searches the site's database, which must be PostgreSQL: set "
            "DATABASE_URL=postgres://... too, or unset SEARCH_URL for the Whoosh engine."
        )
    SEARCH_ENGINE = "glossary.search.postgres.PostgresEngine"
elif SEARCH_URL:
    raise ImproperlyConfigured(
        f"SEARCH_URL={SEARCH_URL!r} is not supported (Elasticsearch no longer is): use "
        "SEARCH_URL=postgres, or unset it for the Whoosh engine."
    )
else:
    SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "glossary.search.whoosh.WhooshEngine")
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

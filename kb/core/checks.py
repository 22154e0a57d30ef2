"""Deploy checks (`manage.py check --deploy`): a site on PostgreSQL is meant to run on more
than one app server, and then the cache and the search index must not live on one machine.

- core.W001: the cache (CACHE_URL) is a file or memory cache of one machine, so a change saved
  on one server leaves the other servers' cached pages and auto-links stale.
- core.W002: search is the embedded Whoosh index, whose files and writes stay on one machine.
"""

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connections

ONE_MACHINE_CACHES = {
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def search_is_shared() -> bool:
    """Whether search lives in the database (SEARCH_URL=postgres, or a PostgreSQL engine
    named by SEARCH_ENGINE); anything else is the per-machine Whoosh index."""
    url = str(getattr(settings, "SEARCH_URL", None) or os.environ.get("SEARCH_URL", ""))
    engine = str(getattr(settings, "SEARCH_ENGINE", ""))
    return url.strip().lower().startswith("postgres") or "postgres" in engine.lower()


@register(Tags.caches, Tags.database, deploy=True)
def check_shared_state(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    if connections["default"].vendor != "postgresql":
        return []  # SQLite: one machine by nature, nothing to share
    warnings = []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in ONE_MACHINE_CACHES:
        warnings.append(
            Warning(
                f"The database is PostgreSQL but the cache ({backend.rsplit('.', 1)[-1]}) lives "
                "on this machine only: with more than one app server, a change saved on one "
                "leaves the others serving stale pages and links.",
                hint="Set CACHE_URL=redis://host:6379/0 (or CACHE_URL=db://) for a site on "
                "more than one app server.",
                id="core.W001",
            )
        )
    if not search_is_shared():
        warnings.append(
            Warning(
                "The database is PostgreSQL but search still uses the Whoosh index, whose "
                "files and writes stay on this machine: other app servers would answer with "
                "stale results.",
                hint="Set SEARCH_URL=postgres (PostgreSQL full-text search) for a site on more "
                "than one app server, then run rebuild_index.",
                id="core.W002",
            )
        )
    return warnings

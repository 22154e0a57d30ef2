"""GET /healthz: can this process serve pages? For load balancers and uptime monitors.

Answers 200 {"database": "ok", "search": "ok", "cache": "ok"}, or 503 with "error" for each
part that failed; what went wrong is logged (logger "kb.health"), never shown to the caller.
Each check is the cheapest real use of its part: the database answers SELECT 1, each search
index can be searched, the shared cache stores and gives back a value. Outside the language
prefixes, exempt from the HTTPS redirect (settings.SECURE_REDIRECT_EXEMPT), never cached, and
no session or CSRF token involved.
"""

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from glossary.search.engine import get_engine

logger = logging.getLogger("kb.health")

CACHE_KEY = "kb:healthz"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def check_search() -> None:
    get_engine().ping()


def check_cache() -> None:
    value = uuid.uuid4().hex
    cache.set(CACHE_KEY, value, timeout=60)
    if cache.get(CACHE_KEY) != value:
        raise RuntimeError("the cache did not give back the value just stored")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "search": check_search,
    "cache": check_cache,
}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every part answers, else 503; the body names each part "ok" or "error"."""
    parts = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check: the %s failed", name)
            parts[name] = "error"
        else:
            parts[name] = "ok"
    healthy = all(state == "ok" for state in parts.values())
    return JsonResponse(parts, status=200 if healthy else 503)

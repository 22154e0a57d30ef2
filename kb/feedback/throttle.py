"""How many feedback posts one address may send: a fixed window counted in the shared cache.

A few lines rather than django-ratelimit: that library would be a new dependency for one view,
its check refuses the file cache the site shares between processes, and it answers 403 where
readers should get our translated 429 page. Counting is approximate under heavy concurrency
(the file cache's incr reads and writes); a flood is still stopped within a few posts.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from kb.core.addresses import client_ip

# Posts one address may send per window; settings.FEEDBACK_RATE_LIMIT and
# FEEDBACK_RATE_WINDOW (seconds) override them.
DEFAULT_LIMIT = 10
DEFAULT_WINDOW = 600


def limit() -> int:
    return getattr(settings, "FEEDBACK_RATE_LIMIT", DEFAULT_LIMIT)


def window() -> int:
    return getattr(settings, "FEEDBACK_RATE_WINDOW", DEFAULT_WINDOW)


def address_hash(request: HttpRequest) -> str:
    """A keyed hash of the request's address (kb.core.addresses.client_ip): the same address gives
    the same value while SECRET_KEY stays, and the address cannot be read back from it."""
    return salted_hmac("kb.feedback.address", client_ip(request)).hexdigest()[:16]


def allow(request: HttpRequest) -> bool:
    """Count one post from the request's address; False once it is over the limit for the
    current window."""
    seconds = window()
    key = f"feedback-posts:{address_hash(request)}:{int(time.time() // seconds)}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit()


def retry_after() -> int:
    """Seconds until the current window ends."""
    seconds = window()
    return seconds - int(time.time()) % seconds

"""The address a request comes from, behind any number of trusted proxies.

Shared by the admin's login throttling (django-axes, AXES_CLIENT_IP_CALLABLE) and the reader
feedback's rate limit, so both count the same visitor the same way.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address.

    REMOTE_ADDR, unless settings.PROXY_COUNT = N proxies stand in front of the site: each
    appends the address it received the request from to X-Forwarded-For, so the N-th address
    from the right is the one the outermost proxy saw. Addresses further left were written by
    the client and are never trusted. A header shorter than that (a request that bypassed the
    proxies) falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    return forwarded[-count] if len(forwarded) >= count else remote

"""Public pages served from the shared cache, keyed by the content generation.

`PageCacheMiddleware` stores the 200 responses of the views named in settings.PAGE_CACHE_VIEWS
(URL names: "glossary:term-detail", "sitemap"...) and answers later requests for the same page
from the cache without running the view, the session, authentication or a single SQL query.

The key holds the scheme and host (pages carry absolute canonical and hreflang links), the path,
the active language and the content generation (kb/core/generation.py): a change to any tracked
content makes every stored page unreachable at once, on every machine sharing the cache.

What is never served from or stored in the cache:
- anything but GET (HEAD is served, never stored), and any request with a query string (search,
  the calculator's results, tracking parameters);
- requests carrying a session cookie (editors: their pages may show drafts, links to the admin,
  messages) or a messages cookie;
- responses that are not 200, are streamed, set a cookie (a CSRF token, messages), vary on
  Cookie (the session was read) or say private/no-store themselves.

Stored pages are sent with an ETag and `Cache-Control: public, max-age=0, must-revalidate`:
browsers and CDNs keep them but ask each time, and get a 304 while the content is unchanged.
"""

from collections.abc import Callable
from hashlib import md5

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    quote_etag,
)

from kb.core import generation

KEY_PREFIX = "kb:page"
# Pages live until the generation moves (then nothing reaches them); the timeout only bounds
# how long an unreachable page occupies a cache that does not evict by itself.
TIMEOUT = 24 * 3600
# Headers the cache layer sets itself, or that belong to one response only.
_NOT_STORED = {"set-cookie", "etag", "cache-control"}


class PageCacheMiddleware:
    """Serve and store the public pages of settings.PAGE_CACHE_VIEWS (see the module docstring).

    The page is looked up once the URL is resolved (process_view), so requests for other views
    cost nothing more; a page found is returned in place of the view and goes back through the
    middleware above and below, none of which reads the session or the database for it. Sits
    after LocaleMiddleware, whose language is part of the key.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and request.method == "GET" and _may_store(response):
            etag = quote_etag(md5(response.content, usedforsecurity=False).hexdigest())
            cache.set(key, _freeze(response, etag), TIMEOUT)
            response = _conditional(request, _with_validators(response, etag))
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.view_name not in settings.PAGE_CACHE_VIEWS or not _may_use_cache(request):
            return None
        key = page_key(request)
        stored = cache.get(key)
        if stored is not None:
            return _conditional(request, _rebuild(stored))
        request._page_cache_key = key  # the view runs; its response may be stored
        return None


def _may_store(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if has_vary_header(response, "Cookie") or has_vary_header(response, "*"):
        return False
    directives = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & {"private", "no-store", "no-cache"}


def _may_use_cache(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
    )


def page_key(request: HttpRequest) -> str:
    """The cache key of the page `request` asks for, in the current content generation."""
    page = f"{request.scheme}://{request.get_host()}{request.path}"
    digest = md5(page.encode(), usedforsecurity=False).hexdigest()
    return f"{KEY_PREFIX}:{generation.current()}:{translation.get_language()}:{digest}"


def _freeze(response: HttpResponse, etag: str) -> tuple:
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _NOT_STORED]
    return (response.content, response.status_code, headers, etag)


def _rebuild(stored: tuple) -> HttpResponse:
    content, status, headers, etag = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return _with_validators(response, etag)


def _with_validators(response: HttpResponse, etag: str) -> HttpResponse:
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A 304 when the visitor's copy (If-None-Match) is current, else `response`."""
    return get_conditional_response(request, etag=response["ETag"], response=response)

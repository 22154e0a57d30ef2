from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kb.core.seo import page_languages, same_page_in


def site(request: HttpRequest) -> dict:
    """Site name, and default language links for pages whose view gives none (e.g. 404)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        # Lazy, and computed at most once per page: templates name it as the fallback of the
        # view's own `page_languages` (`|default:`), which resolves it even when unused, and
        # both the <head> and the language switcher ask for it.
        "default_page_languages": SimpleLazyObject(
            lambda: page_languages(request, same_page_in(request))
        ),
    }

from django.conf import settings
from django.http import HttpRequest

from kb.core.seo import page_languages, same_page_in


def site(request: HttpRequest) -> dict:
    """Site name, and default language links for pages whose view gives none (e.g. 404)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "default_page_languages": lambda: page_languages(request, same_page_in(request)),
    }

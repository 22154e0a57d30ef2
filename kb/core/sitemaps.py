"""Sitemaps with one URL per language, hreflang alternates and x-default."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kb.core.seo import default_language


class TranslatedSitemap(Sitemap):
    """Django's x-default is the default language's URL with its prefix removed (`/termes/x/`),
    which with prefix_default_language=True only answers readers of French. Ours is the page's
    URL in its default language (kb.core.seo.default_language), as in the page's own <head>."""

    i18n = True
    alternates = True
    x_default = False  # Django's; ours is added by get_urls()

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            locations = {link["lang_code"]: link["location"] for link in url["alternates"]}
            default = default_language(locations)
            if default:
                url["alternates"].append({"location": locations[default], "lang_code": "x-default"})
        return urls


class NamedPagesSitemap(TranslatedSitemap):
    """Pages without a database object, given by their URL names."""

    changefreq = "weekly"
    url_names: tuple[str, ...] = ()

    def items(self) -> list[str]:
        return list(self.url_names)

    def location(self, item: str) -> str:
        return reverse(item)


class TranslatedTextSitemap(TranslatedSitemap):
    """Objects with their own text per language (kb.core.translated.TranslatedText)."""

    changefreq = "monthly"

    def get_languages_for_item(self, item) -> list[str]:
        # Only the languages that really have the text: fallback pages are not advertised.
        return item.languages()

    def location(self, item) -> str:
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.updated_at

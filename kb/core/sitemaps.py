"""Sitemaps with one URL per language, hreflang alternates and x-default."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class TranslatedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


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

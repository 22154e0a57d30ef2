from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    """Pages without a database object: home, A-Z index, categories."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["kb:home", "glossary:term-index", "glossary:category-list"]

    def location(self, item: str) -> str:
        return reverse(item)

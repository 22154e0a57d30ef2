"""Sitemaps with one URL per language and hreflang alternates (django.contrib.sitemaps)."""

from django.contrib.sitemaps import Sitemap

from glossary.models import Category, Term


class TermSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return Term.objects.published().order_by("pk")

    def get_languages_for_item(self, item: Term) -> list[str]:
        # Only the languages that really have the text: fallback pages are not advertised.
        return item.languages()

    def location(self, item: Term) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: Term):
        return item.updated_at


class CategorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return Category.objects.order_by("pk")

    def location(self, item: Category) -> str:
        return item.get_absolute_url()

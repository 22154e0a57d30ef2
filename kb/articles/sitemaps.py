from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kb.articles.models import Article


class ArticleSitemap(Sitemap):
    """Published articles, one URL per language that has the article's text."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def get_languages_for_item(self, item: Article) -> list[str]:
        # Only the languages that really have the text: fallback pages are not advertised.
        return item.languages()

    def location(self, item: Article) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: Article):
        return item.updated_at


class ArticleListSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["articles:article-list"]

    def location(self, item: str) -> str:
        return reverse(item)

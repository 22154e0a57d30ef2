from kb.articles.models import Article
from kb.core.sitemaps import TranslatedTextSitemap


class ArticleSitemap(TranslatedTextSitemap):
    def items(self):
        return Article.objects.published().order_by("pk")

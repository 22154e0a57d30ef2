from kb.articles.models import Article, Section
from kb.core.sitemaps import TranslatedTextSitemap


class ArticleSitemap(TranslatedTextSitemap):
    """The knowledge base's pages: its sections (those with a published article: the others
    would be empty), then the published articles, each in the languages that have its text."""

    def items(self) -> list[Section | Article]:
        sections = Section.objects.filter(articles__status=Article.Status.PUBLISHED).distinct()
        return [*sections.order_by("pk"), *Article.objects.published().order_by("pk")]

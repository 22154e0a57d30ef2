from glossary.models import Category, Term
from kb.core.sitemaps import TranslatedSitemap, TranslatedTextSitemap


class TermSitemap(TranslatedTextSitemap):
    def items(self):
        return Term.objects.published().order_by("pk")


class CategorySitemap(TranslatedSitemap):
    """Every language: a category page lists its terms even where its name falls back."""

    changefreq = "monthly"

    def items(self):
        return Category.objects.order_by("pk")

    def location(self, item: Category) -> str:
        return item.get_absolute_url()

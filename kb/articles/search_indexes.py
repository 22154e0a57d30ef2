"""Knowledge-base articles in the site's search, next to terms, one document per language.

The fields reuse the term index's names (glossary/search_indexes.py), so one query searches
both with the same analysis (folding, stemming, elisions) and comparable scores: the title is
`name` (weighted most), then `summary`, then the body as `text`. Articles are indexed in the
languages they are written in; the search falls back to the others as it does for terms.
"""

import json

from haystack import indexes

from glossary.search_indexes import NAME_BOOST, SUMMARY_BOOST, active_language, document
from kb.articles.models import Article
from kb.core.languages import language_codes


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    kind = "article"  # what search results call these hits (glossary/search/engine.py)

    text = indexes.CharField(document=True)
    # The same boosts as the term index's fields of the same names: a field has one schema.
    name = indexes.CharField(boost=NAME_BOOST)
    summary = indexes.CharField(boost=SUMMARY_BOOST)
    slug = indexes.CharField(indexed=False)
    url = indexes.CharField(indexed=False)
    urls = indexes.CharField(indexed=False)  # the article's page in each of its languages
    fingerprint = indexes.CharField(indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        language = using if using in language_codes() else active_language()
        return (
            Article.objects.published()
            .exclude(**{f"title_{language}": ""})
            .exclude(**{f"body_{language}": ""})
            .order_by("pk")
        )

    def prepare(self, obj: Article) -> dict:
        language = active_language()
        values = {
            "text": obj.text("body", language),
            "name": obj.text("title", language),
            "summary": obj.text("summary", language),
            "slug": obj.slug_for(language),
            "url": obj.get_absolute_url(language),
            "urls": json.dumps({code: obj.get_absolute_url(code) for code in obj.languages()}),
        }
        self.prepared_data = document(obj, values)
        return self.prepared_data

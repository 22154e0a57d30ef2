from kb.core.sitemaps import NamedPagesSitemap


class StaticPagesSitemap(NamedPagesSitemap):
    """Home, the A-Z index, the categories and the knowledge base's list of articles."""

    url_names = (
        "kb:home",
        "glossary:term-index",
        "glossary:category-list",
        "articles:article-list",
    )

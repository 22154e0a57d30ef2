from kb.core.sitemaps import NamedPagesSitemap


class StaticPagesSitemap(NamedPagesSitemap):
    """Home, the A-Z index, the categories, the knowledge base's list of articles and the NPS
    calculator (not its embed, which is noindex)."""

    url_names = (
        "kb:home",
        "glossary:term-index",
        "glossary:category-list",
        "articles:article-list",
        "nps:calculator",
    )

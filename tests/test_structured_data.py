"""schema.org JSON-LD on term and article pages uses only properties schema.org defines for
the type it declares, so that validators and search engines read all of it."""

import json
import re

import pytest
from django.core.management import call_command

from glossary.models import Term
from kb.articles.models import Article

LANGUAGES = ["fr", "it", "en"]

# https://schema.org/Thing: what every type below inherits.
THING = {
    "additionalType", "alternateName", "description", "disambiguatingDescription",
    "identifier", "image", "mainEntityOfPage", "name", "potentialAction", "sameAs",
    "subjectOf", "url",
}  # fmt: skip
# https://schema.org/DefinedTerm: its own properties, then Thing's (through Intangible, which
# adds none). inLanguage is not one of them.
DEFINED_TERM = {"about", "inDefinedTermSet", "termCode"} | THING
# https://schema.org/CreativeWork: the ones a DefinedTermSet or an Article of ours may use
# (DefinedTermSet adds hasDefinedTerm, Article adds articleBody, articleSection, wordCount...).
CREATIVE_WORK = {
    "about", "author", "dateCreated", "dateModified", "datePublished", "headline",
    "inLanguage", "keywords", "publisher", "license", "isPartOf", "hasPart",
} | THING  # fmt: skip
DEFINED_TERM_SET = {"hasDefinedTerm"} | CREATIVE_WORK
ARTICLE = {"articleBody", "articleSection", "wordCount"} | CREATIVE_WORK
ORGANIZATION = THING  # we only give the site's name
KEYWORDS = {"@context", "@type", "@id"}
ALLOWED = {
    "DefinedTerm": DEFINED_TERM,
    "DefinedTermSet": DEFINED_TERM_SET,
    "Article": ARTICLE,
    "Organization": ORGANIZATION,
}


def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r'ld\+json">(.*?)</script>', html, re.S)]


def unknown_properties(node, path="") -> list[str]:
    """Every property of every typed object in `node` that its type does not define."""
    found = []
    if isinstance(node, list):
        for item in node:
            found += unknown_properties(item, path)
    elif isinstance(node, dict):
        allowed = ALLOWED[node["@type"]] if "@type" in node else set()
        for name, value in node.items():
            if name not in KEYWORDS and "@type" in node and name not in allowed:
                found.append(f"{path}{node['@type']}.{name}")
            found += unknown_properties(value, f"{path}{name}>")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_term_page_uses_only_defined_term_properties(client, glossary_content, language):
    for term in Term.objects.published():
        (data,) = json_ld(client.get(term.get_absolute_url(language)).content.decode())
        assert data["@type"] == "DefinedTerm"
        assert unknown_properties(data) == [], term.key
        assert data["inDefinedTermSet"]["inLanguage"] == language


def test_a_term_names_its_synonyms_as_alternate_names(client, glossary_content):
    term = Term.objects.get(key="relationship-manager")
    (data,) = json_ld(client.get(term.get_absolute_url("en")).content.decode())
    assert data["alternateName"] == ["Client relationship manager", "Relationship officer"]


@pytest.fixture
def articles(glossary_content):
    call_command("load_articles", verbosity=0)
    return Article.objects.published()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_article_page_uses_only_article_properties(client, articles, language):
    for article in articles:
        (data,) = json_ld(client.get(article.get_absolute_url(language)).content.decode())
        assert data["@type"] == "Article"
        assert unknown_properties(data) == [], article.key


def test_an_article_is_dated_from_its_first_publication(client, articles):
    article = articles.first()
    article.first_published_at = article.created_at.replace(year=2024)
    article.save()
    (data,) = json_ld(client.get(article.get_absolute_url("en")).content.decode())
    assert data["datePublished"].startswith("2024-")
    assert data["dateModified"].startswith(f"{article.updated_at:%Y}-")

"""The sitemap and the pages' own <head> agree on every page's x-default, every x-default works
for a reader of any language, and every page a search engine may index is in the sitemap."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from lxml import etree

LANGUAGES = ["fr", "it", "en"]
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def site(glossary_content):
    """The real glossary and articles, as `make run` loads them."""
    call_command("load_articles", verbosity=0)


def sitemap(client) -> dict[str, dict[str, str]]:
    """{page URL: {hreflang: URL}} from /sitemap.xml."""
    root = etree.fromstring(client.get("/sitemap.xml").content)
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        for url in root.findall("s:url", NS)
    }


def head_alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))


def test_every_x_default_of_the_sitemap_answers_a_reader_of_any_language(client, site):
    x_defaults = {links["x-default"] for links in sitemap(client).values()}
    assert len(x_defaults) > 40
    failures = []
    for url in sorted(x_defaults):
        for language in LANGUAGES:
            response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200:
                failures.append((url, language, response.status_code))
    assert failures == []


def test_the_sitemap_and_each_page_head_give_the_same_alternates(client, site):
    pages = sitemap(client)
    assert len(pages) > 100
    for url, links in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert head_alternates(response.content.decode()) == links, url


def indexable_pages(client) -> set[str]:
    """Every page reachable from the home pages by links, answering 200 without noindex."""
    seen: set[str] = set()
    found: set[str] = set()
    queue = [f"/{language}/" for language in LANGUAGES]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        if re.search(r'<meta name="robots" content="noindex', html):
            continue
        found.add(f"http://testserver{path}")
        for href in re.findall(r'<a [^>]*href="([^"#]+)"', html):
            parts = urlsplit(href)
            local = parts.netloc in ("", "testserver") and not parts.query
            if local and re.match(r"/(fr|it|en)/", parts.path):
                queue.append(parts.path)
    return found


def test_every_indexable_page_is_in_the_sitemap(client, site):
    pages = indexable_pages(client)
    in_sitemap = set(sitemap(client))
    assert pages - in_sitemap == set()
    for language, calculator in (
        ("fr", "outils/nps/"),
        ("it", "strumenti/nps/"),
        ("en", "tools/nps/"),
    ):
        assert f"http://testserver/{language}/{calculator}" in in_sitemap

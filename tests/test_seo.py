"""hreflang, canonical links, structured data, sitemap and robots.txt."""

import json
import re

import pytest


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', html))


def test_term_page_hreflang_points_to_each_languages_slug_and_back(client, nps_term):
    fr_html = client.get("/fr/termes/net-promoter-score/").content.decode()
    it_html = client.get("/it/termini/net-promoter-score-it/").content.decode()
    expected = {
        "fr": "http://testserver/fr/termes/net-promoter-score/",
        "it": "http://testserver/it/termini/net-promoter-score-it/",
        "en": "http://testserver/en/terms/net-promoter-score-en/",
        "x-default": "http://testserver/fr/termes/net-promoter-score/",
    }
    assert alternates(fr_html) == expected
    assert alternates(it_html) == expected


def test_every_page_has_a_canonical_link_to_itself(client, nps_term):
    html = client.get("/it/termini/net-promoter-score-it/").content.decode()
    assert (
        '<link rel="canonical" href="http://testserver/it/termini/net-promoter-score-it/">' in html
    )


def test_term_page_carries_defined_term_json_ld(client, nps_term):
    html = client.get("/en/terms/net-promoter-score-en/").content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "DefinedTerm"
    assert data["name"] == "Net Promoter Score"
    assert "inLanguage" not in data  # not a DefinedTerm property: its set has it
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert data["inDefinedTermSet"]["inLanguage"] == "en"
    assert data["inDefinedTermSet"]["url"] == "http://testserver/en/terms/"


def test_json_ld_cannot_be_broken_out_of_by_content(client, nps_term):
    nps_term.summary_en = "</script><script>alert(1)</script>"
    nps_term.save()
    html = client.get("/en/terms/net-promoter-score-en/").content.decode()
    assert "<script>alert(1)" not in html


def test_meta_description_is_the_terms_summary(client, nps_term):
    html = client.get("/en/terms/net-promoter-score-en/").content.decode()
    assert '<meta name="description" content="A recommendation metric.">' in html


def test_html_lang_follows_the_url_language(client, nps_term):
    for prefix, path in [("fr", "/fr/"), ("it", "/it/"), ("en", "/en/")]:
        assert f'<html lang="{prefix}">' in client.get(path).content.decode()


def test_sitemap_lists_each_language_with_alternates(client, nps_term, make_term):
    make_term("fr-only", fr={"name": "Seulement", "slug": "seulement", "summary": "x"})
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/it/termini/net-promoter-score-it/</loc>" in xml
    assert 'hreflang="en" href="http://testserver/en/terms/net-promoter-score-en/"' in xml
    assert 'hreflang="x-default"' in xml
    # A term written only in French is advertised only in French.
    assert "http://testserver/fr/termes/seulement/" in xml
    assert "http://testserver/en/terms/seulement/" not in xml


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()

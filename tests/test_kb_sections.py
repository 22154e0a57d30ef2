"""Knowledge-base sections (issue 14): content, pages in fr/it/en, query counts, sitemap,
admin, loading, backup and the upgrade that files existing articles in a default section."""

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from kb.articles.content import CONTENT_DIR, ArticleContentError, load
from kb.articles.models import Article, Section
from kb.core.publishing import allow_deleting_published

LANGUAGES = ["fr", "it", "en"]
SECTION_KEYS = [
    "measuring-experience",
    "telephony-numbers",
    "contact-centre-operations",
    "customer-lifecycle",
    "crm-and-data",
]


@pytest.fixture
def section(db):
    return Section.objects.create(
        key="measuring-experience",
        name_fr="Mesurer l'expérience client",
        slug_fr="mesurer-experience-client",
        description_fr="NPS, CSAT et CES.",
        name_it="Misurare l'esperienza del cliente",
        slug_it="misurare-esperienza-cliente",
        name_en="Measuring customer experience",
        slug_en="measuring-customer-experience",
        description_en="NPS, CSAT and CES.",
        position=1,
    )


@pytest.fixture
def make_article(db, section):
    def make(key, status=Article.Status.PUBLISHED, terms=(), in_section=section, **texts):
        values = {
            f"{field}_{code}": value for code, f in texts.items() for field, value in f.items()
        }
        article = Article.objects.create(key=key, status=status, section=in_section, **values)
        article.related_terms.set(terms)
        return article

    return make


def texts(title: str, slug: str) -> dict:
    return {
        code: {"title": f"{title} ({code})", "slug": f"{slug}-{code}", "body": "Texte."}
        for code in LANGUAGES
    }


@pytest.fixture
def nps_article(make_article, nps_term):
    return make_article("nps-article", terms=[nps_term], **texts("Le NPS", "le-nps"))


@pytest.fixture
def real_content(glossary_content):
    call_command("load_articles", verbosity=0)


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# --- Content -----------------------------------------------------------------------------------


def test_the_content_has_the_five_sections_named_in_every_language():
    data = json.loads((CONTENT_DIR / "sections.json").read_text(encoding="utf-8"))
    assert [entry["key"] for entry in data["sections"]] == SECTION_KEYS
    for entry in data["sections"]:
        for code in LANGUAGES:
            assert entry[code]["name"] and entry[code]["slug"] and entry[code]["description"]


def test_every_article_of_the_content_files_names_a_known_section_or_none_yet():
    keys = set(SECTION_KEYS)
    for path in CONTENT_DIR.glob("articles*.json"):
        for entry in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            assert entry.get("section", "measuring-experience") in keys, (path.name, entry["key"])


def test_loading_puts_the_articles_in_their_sections(real_content):
    assert list(Section.objects.values_list("key", flat=True)) == SECTION_KEYS
    assert Article.objects.get(key="nps-csat-ces").section.key == "measuring-experience"
    assert Article.objects.get(key="special-numbers-italy").section.key == "telephony-numbers"


@pytest.fixture
def content_copy(tmp_path) -> Path:
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    return directory


def test_an_article_naming_an_unknown_section_stops_the_load_with_its_file_and_key(
    glossary_content, content_copy
):
    index = content_copy / "articles-guides-a.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    data["articles"][0]["section"] = "videos"
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    key = data["articles"][0]["key"]
    with pytest.raises(ArticleContentError) as raised:
        load(directory=content_copy)
    assert "articles-guides-a.json" in str(raised.value) and repr(key) in str(raised.value)
    assert "'videos'" in str(raised.value)
    assert not Article.objects.exists() and not Section.objects.exists()  # all or nothing


def test_a_section_without_a_french_slug_is_refused(glossary_content, content_copy):
    path = content_copy / "sections.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sections"][1]["fr"]["slug"] = ""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ArticleContentError, match="sections.json: section 'telephony-numbers'"):
        load(directory=content_copy)


def test_loading_twice_leaves_the_sections_alone_and_update_restores_their_texts(real_content):
    section = Section.objects.get(key="crm-and-data")
    section.name_en = "Edited by an editor"
    section.save()
    load()
    assert Section.objects.get(key="crm-and-data").name_en == "Edited by an editor"
    load(update=True)
    assert Section.objects.get(key="crm-and-data").name_en == "CRM and customer data"


# --- Pages -------------------------------------------------------------------------------------


def test_section_urls_have_translated_segments(section):
    assert section.get_absolute_url("fr") == (
        "/fr/base-de-connaissances/rubriques/mesurer-experience-client/"
    )
    assert section.get_absolute_url("it") == (
        "/it/base-di-conoscenza/sezioni/misurare-esperienza-cliente/"
    )
    assert section.get_absolute_url("en") == "/en/kb/sections/measuring-customer-experience/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_section_page_lists_its_published_articles_in_each_language(
    client, section, nps_article, make_article, language
):
    make_article("draft", status=Article.Status.DRAFT, **texts("Brouillon", "brouillon"))
    response = client.get(section.get_absolute_url(language))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert section.text("name", language).replace("'", "&#x27;") in html
    assert f'href="{nps_article.get_absolute_url(language)}"' in html
    assert "Brouillon" not in html


def test_a_section_named_in_french_only_falls_back_and_still_lists_its_articles(
    client, nps_article
):
    section = Section.objects.create(key="only-fr", name_fr="Rubrique", slug_fr="rubrique")
    nps_article.section = section
    nps_article.save()
    response = client.get(section.get_absolute_url("it"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="fr">Rubrique</h1>' in html
    assert nps_article.get_absolute_url("it") in html


def test_an_unknown_section_is_not_found(client, db):
    assert client.get("/en/kb/sections/no-such-section/").status_code == 404
    assert client.get("/fr/base-de-connaissances/rubriques/inconnue/").status_code == 404


def test_another_languages_section_slug_redirects_permanently_to_this_languages(client, section):
    response = client.get("/fr/base-de-connaissances/rubriques/measuring-customer-experience/")
    assert response.status_code == 301
    assert response["Location"] == section.get_absolute_url("fr")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_knowledge_base_home_lists_sections_with_their_articles_titles_and_summaries(
    client, real_content, language
):
    html = client.get(url("articles:article-list", language)).content.decode()
    for section in Section.objects.all():
        position = html.index(f'href="{section.get_absolute_url(language)}"')
        for article in section.articles.published():
            article_position = html.index(f'href="{article.get_absolute_url(language)}"')
            # Each article under its own section's heading, before the next section.
            assert article_position > position
    for article in Article.objects.published():
        assert f'href="{article.get_absolute_url(language)}"' in html
        summary = article.text("summary", language)
        assert summary.replace("'", "&#x27;").replace('"', "&quot;") in html


def test_articles_without_a_section_are_still_listed_on_the_knowledge_base_home(
    client, nps_article, make_article
):
    loose = make_article("loose", in_section=None, **texts("Sans rubrique", "sans-rubrique"))
    html = client.get("/en/kb/").content.decode()
    assert "Other articles" in html and loose.get_absolute_url("en") in html
    assert nps_article.get_absolute_url("en") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_article_page_shows_its_section_in_the_breadcrumb_and_its_terms(
    client, section, nps_article, nps_term, language
):
    html = client.get(nps_article.get_absolute_url(language)).content.decode()
    breadcrumb = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group()
    assert f'href="{section.get_absolute_url(language)}"' in breadcrumb
    assert f'href="{url("articles:article-list", language)}"' in breadcrumb
    assert f'href="{nps_term.get_absolute_url(language)}"' in html  # "Terms in this article"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_site_home_shows_the_sections_next_to_the_latest_articles(
    client, section, nps_article, language
):
    html = client.get(f"/{language}/").content.decode()
    block = html[html.index('class="kb-home"') : html.index('id="categories-title"')]
    assert f'href="{section.get_absolute_url(language)}"' in block
    assert f'href="{nps_article.get_absolute_url(language)}"' in block


def test_a_section_without_published_articles_is_left_off_the_homes(client, nps_article):
    empty = Section.objects.create(key="empty", name_fr="Vide", slug_fr="vide", name_en="Empty")
    assert empty.get_absolute_url("en") not in client.get("/en/kb/").content.decode()
    assert empty.get_absolute_url("en") not in client.get("/en/").content.decode()
    assert client.get(empty.get_absolute_url("en")).status_code == 200  # but answers


# --- Query counts ------------------------------------------------------------------------------
# The views' own queries: the page cache (kb/core/pagecache.py) is off, or a cached page would
# cost none at all.


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_VIEWS = []


def test_knowledge_base_home_query_count_does_not_grow_with_sections_or_articles(
    client, real_content, no_page_cache, django_assert_num_queries
):
    # 1. the sections, 2. the published articles (grouped by section in Python).
    with django_assert_num_queries(2):
        assert client.get("/fr/base-de-connaissances/").status_code == 200
    extra = Section.objects.create(key="extra", name_fr="En plus", slug_fr="en-plus")
    for index in range(4):
        Article.objects.create(
            key=f"extra-{index}",
            title_fr=f"Article {index}",
            slug_fr=f"article-{index}",
            body_fr="x",
            status=Article.Status.PUBLISHED,
            section=extra,
        )
    with django_assert_num_queries(2):
        assert client.get("/fr/base-de-connaissances/").status_code == 200


def test_section_page_query_count_does_not_grow_with_its_articles(
    client, section, make_article, no_page_cache, django_assert_num_queries
):
    path = section.get_absolute_url("en")
    make_article("first", **texts("Premier", "premier"))
    # 1. the section by its slug, 2. its published articles.
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200
    for index in range(5):
        make_article(f"more-{index}", **texts(f"Encore {index}", f"encore-{index}"))
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200


def test_article_page_query_count_with_its_section(client, nps_article, django_assert_num_queries):
    path = nps_article.get_absolute_url("it")
    client.get(path)  # builds the auto-link patterns
    # 1. the article with its section (a join), 2. its related published terms.
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200


# --- Accessibility -----------------------------------------------------------------------------


class Outline(HTMLParser):
    """The headings (level) and landmarks of a page, and list items outside lists."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.landmarks: list[tuple[str, str]] = []
        self.open_lists = 0
        self.stray_items = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in {"main", "nav", "aside", "header", "footer"}:
            self.landmarks.append((tag, attrs.get("aria-label") or ""))
        if tag in {"ul", "ol"}:
            self.open_lists += 1
        if tag == "li" and not self.open_lists:
            self.stray_items += 1

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"}:
            self.open_lists -= 1


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize(
    "path",
    [
        "/fr/base-de-connaissances/",
        "/it/base-di-conoscenza/sezioni/misurare-esperienza-cliente/",
        "/en/kb/sections/measuring-customer-experience/",
        "/it/",
        "/en/",
    ],
)
def test_pages_keep_headings_in_order_landmarks_and_lists(client, real_content, path):
    page = outline(client.get(path).content.decode())
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    # No level skipped on the way down (h2 -> h4 would be).
    assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert "main" in [tag for tag, _label in page.landmarks]
    assert page.stray_items == 0


# --- Sitemap, admin, deletion ------------------------------------------------------------------


def test_sitemap_lists_section_pages_with_hreflang_alternates(client, section, nps_article):
    xml = client.get("/sitemap.xml").content.decode()
    for code in LANGUAGES:
        location = f"http://testserver{section.get_absolute_url(code)}"
        assert f"<loc>{location}</loc>" in xml
        assert f'hreflang="{code}" href="{location}"' in xml
    assert 'hreflang="x-default" href="http://testserver/fr/base-de-connaissances/rub' in xml


def test_admin_lists_adds_and_edits_sections_with_tabbed_translations(client, superuser, section):
    client.force_login(superuser)
    assert client.get("/admin/articles/section/").status_code == 200
    html = client.get("/admin/articles/section/add/").content.decode()
    assert 'name="name_it"' in html and 'name="slug_en"' in html
    response = client.get(f"/admin/articles/section/{section.pk}/change/")
    assert response.status_code == 200
    data = {
        "key": "new-section",
        "position": 9,
        "version": 1,
        **{f"{name}_{code}": "" for name in ("name", "slug", "description") for code in LANGUAGES},
        "name_fr": "Nouvelle rubrique",
        "slug_fr": "nouvelle-rubrique",
    }
    response = client.post("/admin/articles/section/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Section.objects.get(key="new-section")
    assert created.history.count() == 1


def test_admin_filters_articles_by_section(client, superuser, nps_article, section):
    client.force_login(superuser)
    response = client.get(f"/admin/articles/article/?section__id__exact={section.pk}")
    assert response.status_code == 200 and "nps-article" in response.content.decode()


def test_a_section_with_articles_cannot_be_deleted(nps_article, section):
    with pytest.raises(ProtectedError):
        section.delete()
    assert Section.objects.filter(pk=section.pk).exists()


# --- Backup ------------------------------------------------------------------------------------


def export(tmp_path, name="backup.json") -> bytes:
    path = tmp_path / name
    call_command("glossary_export", format="json", output=str(path))
    return path.read_bytes()


def restore(tmp_path, content: bytes, name="restore.json", **options) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    call_command("glossary_import", str(path), **options)


def test_a_backup_carries_the_sections_and_restores_them_byte_for_byte(
    nps_article, make_article, tmp_path
):
    from glossary.models import Category, Term

    other = Section.objects.create(
        key="telephony-numbers",
        name_fr="Numéros et téléphonie",
        slug_fr="numeros-et-telephonie",
        name_it="Numerazioni e telefonia",
        slug_it="numerazioni-e-telefonia",
        position=2,
    )
    make_article("numbers", in_section=other, **texts("Numéros", "numeros"))
    make_article("loose", in_section=None, **texts("Sans rubrique", "sans-rubrique"))
    before = dict(Article.objects.values_list("key", "section__key"))
    first = export(tmp_path)
    data = json.loads(first)
    assert [entry["key"] for entry in data["sections"]] == [
        "measuring-experience",
        "telephony-numbers",
    ]
    assert list(data).index("sections") < list(data).index("articles")
    assert {entry["key"]: entry["section"] for entry in data["articles"]} == before

    with allow_deleting_published():
        Article.objects.all().delete()
        Section.objects.all().delete()
        Term.objects.all().delete()
        Category.objects.all().delete()
    restore(tmp_path, first)

    assert export(tmp_path, "again.json") == first
    assert dict(Article.objects.values_list("key", "section__key")) == before
    restored = Section.objects.get(key="telephony-numbers")
    assert (restored.name_it, restored.position) == ("Numerazioni e telefonia", 2)


def test_a_backup_naming_an_unknown_section_is_refused_whole(nps_article, tmp_path):
    from django.core.management import CommandError

    data = json.loads(export(tmp_path))
    data["articles"][0]["section"] = "videos"
    with pytest.raises(CommandError, match="unknown section 'videos'"):
        restore(tmp_path, json.dumps(data).encode())
    assert Article.objects.get(key="nps-article").section.key == "measuring-experience"


def test_a_backup_from_before_sections_still_imports(nps_article, tmp_path):
    data = json.loads(export(tmp_path))
    del data["sections"]
    for entry in data["articles"]:
        del entry["section"]
    restore(tmp_path, json.dumps(data).encode())
    assert Article.objects.get(key="nps-article").section.key == "measuring-experience"


def test_replace_moves_articles_then_deletes_the_sections_the_backup_leaves_out(
    nps_article, section, tmp_path
):
    other = Section.objects.create(key="other", name_fr="Autre", slug_fr="autre")
    data = json.loads(export(tmp_path))
    data["sections"] = [entry for entry in data["sections"] if entry["key"] == "other"]
    data["articles"][0]["section"] = "other"
    restore(tmp_path, json.dumps(data).encode(), replace=True)
    assert list(Section.objects.values_list("key", flat=True)) == ["other"]
    assert Article.objects.get(key="nps-article").section == other


# --- Upgrade -----------------------------------------------------------------------------------

BEFORE_SECTIONS = [("articles", "0002_article_first_published_at")]
AFTER_SECTIONS = [("articles", "0003_sections")]


@pytest.mark.skipif(
    connection.vendor not in {"sqlite", "postgresql"}, reason="SQLite and PostgreSQL only"
)
def test_the_upgrade_files_every_existing_article_in_a_default_section(migrator_factory):
    migrator = migrator_factory()
    migrator.apply_initial_migration(BEFORE_SECTIONS)
    old_apps = migrator.apply_tested_migration(BEFORE_SECTIONS).apps
    OldArticle = old_apps.get_model("articles", "Article")
    for key in ("nps-for-smes", "choosing-special-numbers", "article-draft"):
        OldArticle.objects.create(
            key=key,
            title=key,
            title_fr=key,
            slug=key,
            slug_fr=key,
            title_it=f"{key} it",
            slug_it=f"{key}-it",
            status="draft" if key == "article-draft" else "published",
            version=4,
        )
    before = list(OldArticle.objects.order_by("pk").values())

    new_apps = migrator.apply_tested_migration(AFTER_SECTIONS).apps

    Article = new_apps.get_model("articles", "Article")
    after = list(Article.objects.order_by("pk").values())
    assert [{k: v for k, v in row.items() if k != "section_id"} for row in after] == before
    Section = new_apps.get_model("articles", "Section")
    default = Section.objects.get()
    assert (default.key, default.slug_fr, default.name_en) == (
        "crm-and-data",
        "crm-et-donnees-clients",
        "CRM and customer data",
    )
    assert {row["section_id"] for row in after} == {default.pk}


@pytest.mark.skipif(
    connection.vendor not in {"sqlite", "postgresql"}, reason="SQLite and PostgreSQL only"
)
def test_an_empty_database_gets_no_default_section(migrator_factory):
    migrator = migrator_factory()
    migrator.apply_initial_migration(BEFORE_SECTIONS)
    migrator.apply_tested_migration(BEFORE_SECTIONS)
    new_apps = migrator.apply_tested_migration(AFTER_SECTIONS).apps
    assert not new_apps.get_model("articles", "Section").objects.exists()


def test_the_site_home_keeps_one_query_for_its_knowledge_base_block(
    client, nps_term, nps_article, make_article, no_page_cache, django_assert_num_queries
):
    other = Section.objects.create(key="other", name_fr="Autre", slug_fr="autre", position=0)
    make_article("second", in_section=other, **texts("Deuxième", "deuxieme"))
    # 1. categories with their term counts, 2. the published articles with their sections
    # (the latest four and the sections' counts), 3. recent terms, 4. number of published terms.
    with django_assert_num_queries(4):
        html = client.get("/en/").content.decode()
    assert html.index(other.get_absolute_url("en")) < html.index(
        Section.objects.get(key="measuring-experience").get_absolute_url("en")
    )
    assert "1 article" in html

"""Translation status that notices change: complete, missing, outdated per term and language."""

import pytest

from glossary import translation_status
from glossary.models import Term
from glossary.translation_status import TranslationState
from tests.admin_forms import client_for, form_data

ADMIN = "/admin/glossary/term/"


@pytest.fixture
def french_only(make_term):
    return make_term("csat", fr={"name": "CSAT", "slug": "csat", "summary": "Satisfaction."})


def states(term: Term) -> dict[str, str]:
    return {
        code: str(state)
        for code, state in Term.objects.get(pk=term.pk).translation_states().items()
    }


# --- The rule -----------------------------------------------------------------------------


def test_a_term_created_with_its_translations_is_complete(nps_term):
    assert states(nps_term) == {"it": "complete", "en": "complete"}


def test_a_language_without_text_is_missing(french_only):
    assert states(french_only) == {"it": "missing", "en": "missing"}


def test_a_name_alone_is_still_missing(french_only):
    french_only.name_it = "CSAT"
    french_only.save()
    assert states(french_only)["it"] == "missing"


@pytest.mark.parametrize("field", ["name_fr", "summary_fr", "definition_fr"])
def test_changing_the_french_makes_the_translations_outdated(nps_term, field):
    setattr(nps_term, field, getattr(nps_term, field) + " Modifié.")
    nps_term.save()
    assert states(nps_term) == {"it": "outdated", "en": "outdated"}


@pytest.mark.parametrize("field", ["acronym_fr", "slug_fr"])
def test_other_french_fields_do_not_outdate_translations(nps_term, field):
    setattr(nps_term, field, "autre")
    nps_term.save()
    assert states(nps_term) == {"it": "complete", "en": "complete"}


def test_whitespace_alone_does_not_outdate_translations(nps_term):
    nps_term.summary_fr = "  Indicateur de recommandation.  \n"
    nps_term.save()
    assert states(nps_term) == {"it": "complete", "en": "complete"}


def test_updating_a_translation_brings_it_up_to_date(nps_term):
    nps_term.definition_fr = "Le NPS mesure la recommandation, de 0 à 10."
    nps_term.save()
    nps_term.definition_it = "L'NPS misura la raccomandazione, da 0 a 10."
    nps_term.save()
    assert states(nps_term) == {"it": "complete", "en": "outdated"}


def test_french_and_translation_changed_together_are_up_to_date(nps_term):
    nps_term.summary_fr = "Nouvelle phrase."
    nps_term.summary_en = "New sentence."
    nps_term.save()
    assert states(nps_term) == {"it": "outdated", "en": "complete"}


def test_confirming_marks_an_outdated_translation_complete(nps_term):
    nps_term.summary_fr = "Nouvelle phrase."
    nps_term.save()
    assert nps_term.confirm_translations(["it"]) == ["it"]
    assert states(nps_term) == {"it": "complete", "en": "outdated"}
    assert nps_term.history.first().history_change_reason == "confirm:it"


def test_confirming_cannot_make_a_missing_translation_complete(french_only):
    assert french_only.confirm_translations() == []
    assert states(french_only) == {"it": "missing", "en": "missing"}


def test_changing_the_french_back_makes_translations_complete_again(nps_term):
    original = nps_term.summary_fr
    nps_term.summary_fr = "Autre chose."
    nps_term.save()
    nps_term.summary_fr = original
    nps_term.save()
    assert states(nps_term) == {"it": "complete", "en": "complete"}


def test_database_filters_agree_with_the_rule(nps_term, french_only, make_term):
    outdated = make_term(
        "ces",
        fr={"name": "CES", "slug": "ces", "summary": "Effort."},
        it={"name": "CES", "slug": "ces-it", "summary": "Sforzo."},
    )
    outdated.summary_fr = "Effort du client."
    outdated.save()
    for term in Term.objects.all():
        for code in ("it", "en"):
            state = term.translation_states()[code]
            found = translation_status.filter_state(Term.objects.all(), code, state)
            assert term in found
    assert translation_status.counts(Term.objects.all(), "it") == {
        "complete": 1, "missing": 1, "outdated": 1,
    }  # fmt: skip


# --- Admin ----------------------------------------------------------------------------------


def test_change_list_shows_a_badge_per_language(editor, nps_term, french_only):
    nps_term.summary_fr = "Changé."
    nps_term.save()
    page = client_for(editor).get(ADMIN).content.decode()
    assert "translation-badge translation-outdated" in page
    assert "IT outdated" in page and "EN missing" in page


def test_change_list_query_count_does_not_grow_with_terms(
    editor, make_term, django_assert_max_num_queries
):
    for number in range(15):
        make_term(f"t{number}", fr={"name": f"T{number}", "slug": f"t{number}", "summary": "S."})
    client = client_for(editor)
    # session, user, permissions (2), counts and page of terms with their category, filters
    with django_assert_max_num_queries(12):
        assert client.get(ADMIN).status_code == 200


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("translation_it=missing", "CSAT", "Net Promoter Score"),
        ("translation_en=outdated", "Net Promoter Score", "CSAT"),
        ("translation_en=complete", "nothing", "Net Promoter Score"),
    ],
)
def test_list_filters_by_language_and_state(editor, nps_term, french_only, query, shown, hidden):
    nps_term.definition_fr = "Nouvelle définition."
    nps_term.save()
    page = client_for(editor).get(f"{ADMIN}?{query}").content.decode()
    rows = page.split('id="result_list"')[1] if 'id="result_list"' in page else ""
    if shown != "nothing":
        assert shown in rows
    assert hidden not in rows


def test_change_form_shows_states_for_the_tabs(editor, nps_term):
    nps_term.name_fr = "NPS"
    nps_term.save()
    page = client_for(editor).get(f"{ADMIN}{nps_term.pk}/change/").content.decode()
    assert 'id="translation-states"' in page
    assert '"state": "outdated"' in page
    assert "translation_badges.js" in page


def test_confirm_action_marks_selected_terms(editor, nps_term):
    nps_term.name_fr = "NPS"
    nps_term.save()
    client_for(editor).post(
        ADMIN, {"action": "confirm_translation_en", "_selected_action": [nps_term.pk]}
    )
    assert states(nps_term) == {"it": "outdated", "en": "complete"}


def test_confirm_checkbox_on_the_form(editor, nps_term):
    nps_term.name_fr = "NPS"
    nps_term.save()
    client = client_for(editor)
    url = f"{ADMIN}{nps_term.pk}/change/"
    data = form_data(client.get(url))
    data["confirm_it"] = "on"
    assert client.post(url, data).status_code == 302
    assert states(nps_term) == {"it": "complete", "en": "outdated"}


def test_editing_a_translation_in_the_admin_brings_it_up_to_date(editor, nps_term):
    nps_term.summary_fr = "Nouveau résumé."
    nps_term.save()
    client = client_for(editor)
    url = f"{ADMIN}{nps_term.pk}/change/"
    data = form_data(client.get(url))
    data["summary_en"] = "New summary."
    assert client.post(url, data).status_code == 302
    assert states(nps_term) == {"it": "outdated", "en": "complete"}


def test_dashboard_counts_and_lists_what_to_do(editor, nps_term, french_only):
    nps_term.summary_fr = "Indicateur de recommandation client."
    nps_term.save()
    client = client_for(editor)
    response = client.get(f"{ADMIN}translations/?lang=it")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{ADMIN}{nps_term.pk}/change/"' in page
    assert f'href="{ADMIN}{french_only.pk}/change/"' in page
    # Source beside translation, and what changed in the French since the translation.
    assert "Indicateur de recommandation client." in page
    assert "Indicatore di raccomandazione." in page
    assert "What changed in the French text since this translation" in page
    assert '<ins class="history-new">Indicateur de recommandation client.</ins>' in page
    assert "not translated" in page
    counts = {row["code"]: row["counts"] for row in response.context["summary"]}
    assert counts == {
        "it": {"complete": 0, "missing": 1, "outdated": 1},
        "en": {"complete": 0, "missing": 1, "outdated": 1},
    }


def test_dashboard_says_when_there_is_nothing_to_do(editor, nps_term):
    page = client_for(editor).get(f"{ADMIN}translations/?lang=en").content.decode()
    assert "Nothing to do" in page


def test_dashboard_ignores_an_unknown_language(editor, nps_term):
    response = client_for(editor).get(f"{ADMIN}translations/?lang=<script>")
    assert response.status_code == 200
    assert response.context["language"] == "it"


def test_dashboard_is_for_signed_in_staff_only(client, nps_term):
    response = client.get(f"{ADMIN}translations/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- The real content -----------------------------------------------------------------------


def test_loading_the_glossary_marks_its_translations_up_to_date(glossary_content):
    for code in ("it", "en"):
        counts = translation_status.counts(Term.objects.all(), code)
        assert counts["outdated"] == 0
        assert counts["complete"] == Term.objects.count() - counts["missing"]


def test_reloading_with_update_marks_shipped_translations_up_to_date(glossary_content):
    from glossary.content import load

    term = Term.objects.get(key="net-promoter-score")
    term.summary_fr = "Résumé local."
    term.save()
    assert term.translation_states()["it"] == TranslationState.OUTDATED
    load(update=True)
    term = Term.objects.get(key="net-promoter-score")
    assert term.translation_states() == {"it": "complete", "en": "complete"}


# --- Articles follow the same rule (issue 14) --------------------------------------------------

ARTICLES = "/admin/articles/article/"


@pytest.fixture
def article(db):
    from kb.articles.models import Article

    return Article.objects.create(
        key="nps-guide",
        status=Article.Status.PUBLISHED,
        title_fr="Guide du NPS", slug_fr="guide-nps", summary_fr="Résumé.", body_fr="Corps.",
        title_it="Guida all'NPS", slug_it="guida-nps", body_it="Testo.",
        title_en="NPS guide", slug_en="nps-guide",
    )  # fmt: skip


def article_states(article) -> dict[str, str]:
    return {
        code: str(state)
        for code, state in type(article).objects.get(pk=article.pk).translation_states().items()
    }


def test_an_article_is_missing_where_it_has_no_body_and_complete_where_translated(article):
    assert article_states(article) == {"it": "complete", "en": "missing"}


@pytest.mark.parametrize("field", ["title_fr", "summary_fr", "body_fr"])
def test_changing_an_article_s_french_makes_its_translations_outdated(article, field):
    setattr(article, field, getattr(article, field) + " Modifié.")
    article.save()
    assert article_states(article) == {"it": "outdated", "en": "missing"}
    article.body_it = "Testo aggiornato."
    article.save()
    assert article_states(article)["it"] == "complete"


def test_an_article_s_slug_does_not_outdate_its_translations(article):
    article.slug_fr = "autre-adresse"
    article.save()
    assert article_states(article)["it"] == "complete"


def test_articles_filter_and_count_by_state_like_terms(article):
    from kb.articles.models import Article

    spec = Article.translation_spec
    article.body_fr = "Nouveau corps."
    article.save()
    assert list(Article.objects.filter(spec.outdated_q("it"))) == [article]
    assert not Article.objects.filter(spec.complete_q("it")).exists()
    assert spec.counts(Article.objects.all(), "en") == {
        "complete": 0, "missing": 1, "outdated": 0,
    }  # fmt: skip


def test_the_article_list_shows_badges_and_filters_by_state(editor, article):
    article.body_fr = "Nouveau corps."
    article.save()
    client = client_for(editor)
    page = client.get(ARTICLES).content.decode()
    assert "IT outdated" in page and "EN missing" in page
    assert "nps-guide" in client.get(f"{ARTICLES}?translation_it=outdated").content.decode()
    assert "nps-guide" not in client.get(f"{ARTICLES}?translation_it=complete").content.decode()


def test_the_confirm_action_marks_selected_articles_up_to_date(editor, article):
    article.title_fr = "Guide complet du NPS"
    article.save()
    response = client_for(editor).post(
        ARTICLES,
        {"action": "confirm_translation_it", "_selected_action": [article.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert article_states(article)["it"] == "complete"
    assert type(article).objects.get(pk=article.pk).history.first().history_change_reason == (
        "confirm:it"
    )


def test_the_dashboard_counts_every_kind_per_language(editor, nps_term, french_only, article):
    article.body_fr = "Nouveau corps."
    article.save()
    response = client_for(editor).get(f"{ADMIN}translations/")
    kinds = {str(kind["name"]): kind for kind in response.context["kinds"]}
    assert set(kinds) >= {"terms", "articles"}
    counts = {row["code"]: row["counts"] for row in kinds["articles"]["rows"]}
    assert counts == {
        "it": {"complete": 0, "missing": 0, "outdated": 1},
        "en": {"complete": 0, "missing": 1, "outdated": 0},
    }
    terms = {row["code"]: row["counts"] for row in kinds["terms"]["rows"]}
    assert terms["it"] == translation_status.counts(Term.objects.all(), "it")
    html = response.content.decode()
    assert 'href="/admin/articles/article/?translation_it=outdated"' in html


def test_loading_the_articles_marks_their_translations_up_to_date(glossary_content):
    from django.core.management import call_command

    from kb.articles.models import Article

    call_command("load_articles", verbosity=0)
    for code in ("it", "en"):
        counts = Article.translation_spec.counts(Article.objects.all(), code)
        assert counts["outdated"] == 0 and counts["complete"] == Article.objects.count()


def test_a_backup_keeps_an_outdated_article_outdated(article, tmp_path):
    import json

    from django.core.management import call_command

    from kb.articles.models import Article
    from kb.core.publishing import allow_deleting_published

    article.body_fr = "Nouveau corps."
    article.save()
    path = tmp_path / "backup.json"
    call_command("glossary_export", format="json", output=str(path))
    entry = json.loads(path.read_text())["articles"][0]
    assert entry["it"]["translated_from"] != entry["en"]["translated_from"] == ""
    with allow_deleting_published():
        Article.objects.all().delete()
    call_command("glossary_import", str(path))
    assert article_states(Article.objects.get(key="nps-guide")) == {
        "it": "outdated",
        "en": "missing",
    }


BEFORE_STATUS = [("articles", "0003_sections")]
AFTER_STATUS = [("articles", "0004_article_translation_status")]


def test_the_upgrade_shows_no_existing_article_as_outdated(migrator_factory):
    migrator = migrator_factory()
    migrator.apply_initial_migration(BEFORE_STATUS)
    old_apps = migrator.apply_tested_migration(BEFORE_STATUS).apps
    OldArticle = old_apps.get_model("articles", "Article")
    OldArticle.objects.create(
        key="translated", title="A", title_fr="A", slug="a", slug_fr="a", body_fr="Corps.",
        title_it="A", slug_it="a-it", body_it="Testo.", title_en="A", slug_en="a-en",
    )  # fmt: skip
    migrator.apply_tested_migration(AFTER_STATUS)
    migrator.reset()

    from kb.articles.models import Article

    assert Article.objects.get(key="translated").translation_states() == {
        "it": "complete",
        "en": "missing",
    }


def test_reloading_the_articles_with_update_marks_shipped_translations_up_to_date(
    glossary_content,
):
    from django.core.management import call_command

    from kb.articles.models import Article

    call_command("load_articles", verbosity=0)
    article = Article.objects.get(key="nps-for-smes")
    article.summary_fr = "Résumé local."
    article.save()
    assert article.translation_states()["it"] == TranslationState.OUTDATED
    call_command("load_articles", update=True, verbosity=0)
    article = Article.objects.get(key="nps-for-smes")
    assert article.translation_states() == {"it": "complete", "en": "complete"}


# --- Categories and sections follow the same rule (issue 14) ----------------------------------

CATEGORIES = "/admin/glossary/category/"
SECTIONS = "/admin/articles/section/"


@pytest.fixture
def section(db):
    from kb.articles.models import Section

    return Section.objects.create(
        key="measuring", name_fr="Mesurer l'expérience", slug_fr="mesurer",
        description_fr="Enquêtes et indicateurs.", name_it="Misurare l'esperienza",
        slug_it="misurare",
    )  # fmt: skip


def fresh_states(obj) -> dict[str, str]:
    return {
        code: str(state)
        for code, state in type(obj).objects.get(pk=obj.pk).translation_states().items()
    }


@pytest.mark.parametrize("kind", ["category", "section"])
@pytest.mark.parametrize("field", ["name_fr", "description_fr"])
def test_changing_a_category_s_or_section_s_french_outdates_its_translations(request, kind, field):
    obj = request.getfixturevalue(kind)
    before = fresh_states(obj)
    assert set(before.values()) <= {"complete", "missing"}
    setattr(obj, field, (getattr(obj, field) or "") + " (revu)")
    obj.save()
    after = fresh_states(obj)
    assert {code for code, state in after.items() if state == "outdated"} == {
        code for code, state in before.items() if state == "complete"
    }
    obj.name_it = "Nome aggiornato"
    obj.save()
    assert fresh_states(obj)["it"] == "complete"


def test_a_section_without_an_english_name_is_missing_in_english(section):
    assert fresh_states(section) == {"it": "complete", "en": "missing"}


def test_a_category_s_slug_does_not_outdate_its_translations(category):
    category.slug_fr = "experience"
    category.save()
    assert fresh_states(category) == {"it": "complete", "en": "complete"}


@pytest.mark.parametrize(("kind", "url"), [("category", CATEGORIES), ("section", SECTIONS)])
def test_the_category_and_section_lists_show_badges_filter_and_confirm(request, editor, kind, url):
    obj = request.getfixturevalue(kind)
    obj.name_fr = obj.name_fr + " et fidélité"
    obj.save()
    client = client_for(editor)
    assert "IT outdated" in client.get(url).content.decode()
    assert obj.key in client.get(f"{url}?translation_it=outdated").content.decode()
    assert obj.key not in client.get(f"{url}?translation_it=complete").content.decode()
    response = client.post(
        url, {"action": "confirm_translation_it", "_selected_action": [obj.pk]}, follow=True
    )
    assert response.status_code == 200
    assert fresh_states(obj)["it"] == "complete"
    assert type(obj).objects.get(pk=obj.pk).history.first().history_change_reason == "confirm:it"


def test_the_dashboard_counts_terms_articles_categories_and_sections(
    editor, nps_term, article, section
):
    category = nps_term.category
    category.description_fr = "Tout ce que vit le client."
    category.save()
    response = client_for(editor).get(f"{ADMIN}translations/")
    kinds = {str(kind["name"]): kind for kind in response.context["kinds"]}
    assert set(kinds) == {"terms", "articles", "categories", "sections"}
    categories = {row["code"]: row["counts"] for row in kinds["categories"]["rows"]}
    assert categories == {
        "it": {"complete": 0, "missing": 0, "outdated": 1},
        "en": {"complete": 0, "missing": 0, "outdated": 1},
    }
    sections = {row["code"]: row["counts"] for row in kinds["sections"]["rows"]}
    assert sections == {
        "it": {"complete": 1, "missing": 0, "outdated": 0},
        "en": {"complete": 0, "missing": 1, "outdated": 0},
    }
    html = response.content.decode()
    assert 'href="/admin/glossary/category/?translation_it=outdated"' in html
    assert 'href="/admin/articles/section/?translation_en=missing"' in html


def test_a_backup_keeps_an_outdated_category_and_section_outdated(nps_term, section, tmp_path):
    import json

    from django.core.management import call_command

    from glossary.models import Category
    from kb.articles.models import Section

    for obj in (nps_term.category, section):
        obj.name_fr = obj.name_fr + " (revu)"
        obj.save()
    path = tmp_path / "backup.json"
    call_command("glossary_export", format="json", output=str(path))
    data = json.loads(path.read_text())
    assert data["categories"][0]["it"]["translated_from"]
    assert data["sections"][0]["en"]["translated_from"] == ""
    call_command("glossary_import", str(path), replace=True)
    assert fresh_states(Category.objects.get()) == {"it": "outdated", "en": "outdated"}
    assert fresh_states(Section.objects.get()) == {"it": "outdated", "en": "missing"}


def test_a_backup_without_category_statuses_is_still_read(nps_term, tmp_path):
    """Version 3 backups written before categories had a status carry no marker for them."""
    import json

    from django.core.management import call_command

    path = tmp_path / "backup.json"
    call_command("glossary_export", format="json", output=str(path))
    data = json.loads(path.read_text())
    for entry in data["categories"]:
        for code in ("it", "en"):
            del entry[code]["translated_from"]
    path.write_text(json.dumps(data))
    call_command("glossary_import", str(path))
    assert fresh_states(nps_term.category) == {"it": "complete", "en": "complete"}


def test_loading_the_content_leaves_no_category_or_section_outdated(glossary_content):
    from django.core.management import call_command

    from glossary.models import Category
    from kb.articles.models import Section

    call_command("load_articles", verbosity=0)
    for model in (Category, Section):
        for code in ("it", "en"):
            counts = model.translation_spec.counts(model.objects.all(), code)
            assert counts == {"complete": model.objects.count(), "missing": 0, "outdated": 0}


BEFORE_CATEGORY_STATUS = [
    ("glossary", "0007_search_documents"),
    ("articles", "0004_article_translation_status"),
]
AFTER_CATEGORY_STATUS = [
    ("glossary", "0008_category_translation_status"),
    ("articles", "0005_section_translation_status"),
]


def test_the_upgrade_shows_no_existing_category_or_section_as_outdated(migrator_factory):
    migrator = migrator_factory()
    old_apps = migrator.apply_initial_migration(BEFORE_CATEGORY_STATUS).apps
    old_apps.get_model("glossary", "Category").objects.create(
        key="cx", name_fr="CX", slug_fr="cx", description_fr="Expérience.", name_it="CX",
        slug_it="cx-it",
    )  # fmt: skip
    old_apps.get_model("articles", "Section").objects.create(
        key="guides", name_fr="Guides", slug_fr="guides", name_en="Guides", slug_en="guides",
    )  # fmt: skip
    migrator.apply_tested_migration(AFTER_CATEGORY_STATUS)
    migrator.reset()

    from glossary.models import Category
    from kb.articles.models import Section

    assert Category.objects.get(key="cx").translation_states() == {
        "it": "complete", "en": "missing",
    }  # fmt: skip
    assert Section.objects.get(key="guides").translation_states() == {
        "it": "missing", "en": "complete",
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["categories", "sections"])
@pytest.mark.parametrize("marker", [5, ["x"], "x" * 65, "a\x00b"])
def test_a_backup_with_a_broken_category_or_section_status_is_refused_whole(
    nps_term, section, tmp_path, kind, marker
):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from glossary.models import Category

    path = tmp_path / "backup.json"
    call_command("glossary_export", format="json", output=str(path))
    data = json.loads(path.read_text())
    data[kind][0]["it"]["translated_from"] = marker
    data["categories"][0]["fr"]["name"] = "Nom changé"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as refused:
        call_command("glossary_import", str(path))
    assert "translated_from_it" in str(refused.value)  # named, with what is wrong
    assert Category.objects.get().name_fr != "Nom changé"  # nothing written

"""Published content is never deleted: not from the admin, not through the model, not after
being set back to draft. Drafts that were never published can be deleted, and recovered from
their history; the address of a published term or article deleted all the same answers 410."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from glossary.models import Category, Term, TermRelation
from kb.articles.models import Article
from kb.core.publishing import PublishedDeletionError, allow_deleting_published
from tests.admin_forms import client_for, form_data

TERMS = "/admin/glossary/term/"
ARTICLES = "/admin/articles/article/"


def deletion_record(model, pk):
    return model.history.get(id=pk, history_type="-")


def unpublish(obj) -> None:
    obj.status = obj.Status.DRAFT
    obj.save()


@pytest.fixture
def once_published(nps_term, csat):
    """The issue's path: a published term, linked to another, set back to draft."""
    TermRelation.objects.create(source=nps_term, target=csat, type=TermRelation.Type.RELATED)
    unpublish(nps_term)
    return nps_term


@pytest.fixture
def new_draft(make_term, csat):
    """A draft never published, in three languages, linked to a published term."""
    draft = make_term(
        "customer-effort-score",
        status=Term.Status.DRAFT,
        fr={"name": "Score d'effort client", "slug": "score-effort-client",
            "summary": "Effort demandé.", "definition": "Le **CES** mesure l'effort."},
        it={"name": "Punteggio di sforzo", "slug": "punteggio-sforzo",
            "summary": "Sforzo richiesto.", "definition": "Il **CES** misura lo sforzo."},
        en={"name": "Customer effort score", "slug": "customer-effort-score",
            "summary": "Effort asked.", "definition": "The **CES** measures effort."},
    )  # fmt: skip
    TermRelation.objects.create(source=draft, target=csat, type=TermRelation.Type.BROADER)
    return draft


# --- Ever published: refused everywhere ------------------------------------------------------


def test_a_term_remembers_when_it_was_first_published(make_term):
    draft = make_term("x", status=Term.Status.DRAFT, fr={"name": "X", "slug": "x"})
    assert draft.first_published_at is None and not draft.was_published
    draft.status = Term.Status.PUBLISHED
    draft.save()
    published_at = draft.first_published_at
    assert published_at is not None
    unpublish(draft)
    draft.refresh_from_db()
    assert draft.first_published_at == published_at and draft.was_published


def test_a_once_published_draft_cannot_be_deleted_through_the_model(once_published, csat):
    with pytest.raises(PublishedDeletionError, match="never deleted"):
        once_published.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Term.objects.filter(pk=once_published.pk).delete()
    assert Term.objects.filter(pk=once_published.pk).exists()
    assert TermRelation.objects.filter(source=csat, target=once_published).exists()


def test_the_admin_delete_page_refuses_and_says_to_deprecate(editor, once_published):
    client = client_for(editor)
    change = client.get(f"{TERMS}{once_published.pk}/change/").content.decode()
    assert f"{once_published.pk}/delete/" not in change  # no delete link
    response = client.get(f"{TERMS}{once_published.pk}/delete/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Nothing was deleted: this was published" in page
    assert "deprecate them instead" in page and "Net Promoter Score" in page
    assert 'name="post"' not in page  # nothing to confirm


def test_a_direct_post_to_the_delete_page_is_refused(editor, superuser, once_published):
    for user in (editor, superuser):
        response = client_for(user).post(f"{TERMS}{once_published.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
    assert Term.objects.filter(pk=once_published.pk).exists()


def test_the_bulk_delete_action_refuses_a_selection_with_a_once_published_draft(
    editor, once_published, new_draft
):
    client = client_for(editor)
    selection = {"action": "delete_selected", "_selected_action": [once_published.pk, new_draft.pk]}
    confirmation = client.post(TERMS, selection)
    page = confirmation.content.decode()
    assert "Nothing was deleted: these were published" not in page  # one of the two only
    assert "Net Promoter Score" in page and "Score d" not in page
    assert "deprecate them instead" in page
    assert client.post(TERMS, {**selection, "post": "yes"}).status_code == 403
    assert Term.objects.filter(pk__in=[once_published.pk, new_draft.pk]).count() == 2


@pytest.mark.parametrize(
    ("language", "nothing_deleted", "instead"),
    [
        ("fr", "Rien n’a été supprimé", "retirez-les plutôt"),
        ("it", "Nulla è stato eliminato", "non vengono mai eliminati: si ritirano"),
    ],
)
def test_the_editors_language_explains_the_refusal(
    editor, once_published, language, nothing_deleted, instead
):
    client = client_for(editor)
    page = client.get(
        f"{TERMS}{once_published.pk}/delete/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert nothing_deleted in page and instead in page


def test_a_draft_never_published_is_deleted(editor, new_draft):
    client = client_for(editor)
    assert client.get(f"{TERMS}{new_draft.pk}/delete/").status_code == 200
    assert client.post(f"{TERMS}{new_draft.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Term.objects.filter(pk=new_draft.pk).exists()


def test_a_category_cannot_take_its_published_terms_with_it(superuser, nps_term):
    with pytest.raises(ProtectedError):
        nps_term.category.delete()
    client_for(superuser).post(f"/admin/glossary/category/{nps_term.category.pk}/delete/",
                               {"post": "yes"})  # fmt: skip
    assert Term.objects.filter(pk=nps_term.pk).exists()
    assert Category.objects.filter(pk=nps_term.category.pk).exists()


def test_the_net_promoter_score_term_survives_draft_then_delete(glossary_content, editor):
    term = Term.objects.get(key="net-promoter-score")  # the term kb/sections.py links to
    relations = TermRelation.objects.filter(source=term).count()
    assert relations
    client = client_for(editor)
    url = f"{TERMS}{term.pk}/change/"
    data = form_data(client.get(url))
    data["status"] = Term.Status.DRAFT
    assert client.post(url, data).status_code == 302
    assert client.post(f"{TERMS}{term.pk}/delete/", {"post": "yes"}).status_code == 403
    selection = {"action": "delete_selected", "_selected_action": [term.pk], "post": "yes"}
    assert client.post(TERMS, selection).status_code == 403
    term = Term.objects.get(key="net-promoter-score")
    assert term.status == Term.Status.DRAFT
    assert TermRelation.objects.filter(source=term).count() == relations


def test_restoring_a_version_from_before_publication_keeps_the_term_protected(editor, make_term):
    term = make_term("x", status=Term.Status.DRAFT, fr={"name": "X", "slug": "x"})
    draft_version = term.history.earliest()
    term.status = Term.Status.PUBLISHED
    term.save()
    client_for(editor).post(f"{TERMS}{term.pk}/history/{draft_version.history_id}/restore/")
    term.refresh_from_db()
    assert term.status == Term.Status.DRAFT and term.was_published
    assert client_for(editor).post(f"{TERMS}{term.pk}/delete/", {"post": "yes"}).status_code == 403


# --- Articles ----------------------------------------------------------------------------------


@pytest.fixture
def article(db):
    return Article.objects.create(
        key="nps-pme",
        status=Article.Status.PUBLISHED,
        title_fr="Le NPS pour les PME", slug_fr="le-nps-pour-les-pme", body_fr="Le NPS en bref.",
        title_it="L'NPS per le PMI", slug_it="nps-per-le-pmi", body_it="L'NPS in breve.",
        title_en="NPS for small businesses", slug_en="nps-for-smes", body_en="NPS in short.",
    )  # fmt: skip


def test_an_unpublished_article_cannot_be_deleted(editor, article):
    unpublish(article)
    client = client_for(editor)
    response = client.get(f"{ARTICLES}{article.pk}/delete/")
    assert response.status_code == 403
    assert "unpublish them instead" in response.content.decode()
    assert client.post(f"{ARTICLES}{article.pk}/delete/", {"post": "yes"}).status_code == 403
    selection = {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    assert client.post(ARTICLES, selection).status_code == 403
    with pytest.raises(PublishedDeletionError):
        article.delete()
    assert Article.objects.filter(pk=article.pk).exists()


# --- 410 Gone for the address of a deleted published term or article ---------------------------


@pytest.mark.parametrize(
    ("language", "explanation", "related"),
    [
        ("fr", "n’est plus dans le glossaire", "Score de satisfaction"),
        ("it", "non è più nel glossario", "Punteggio di soddisfazione"),
        ("en", "is no longer in the glossary", "Customer satisfaction score"),
    ],
)
def test_a_deleted_published_term_answers_410_in_every_language(
    client, once_published, language, explanation, related
):
    url = once_published.get_absolute_url(language)
    with allow_deleting_published():  # as before this rule, or a superuser's purge
        once_published.delete()
    response = client.get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert page.count("<h1") == 1 and explanation in page and "Net Promoter Score" in page
    assert '<meta name="robots" content="noindex">' in page
    assert related in page  # a published term it was linked to
    assert 'value="Net Promoter Score"' in page  # the search box, filled in


def test_another_languages_slug_of_a_deleted_term_answers_410(client, once_published):
    with allow_deleting_published():
        once_published.delete()
    assert client.get("/fr/termes/net-promoter-score-it/").status_code == 410


def test_a_deleted_draft_never_published_answers_404(client, new_draft):
    url = new_draft.get_absolute_url("fr")
    new_draft.delete()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("language", "explanation"),
    [
        ("fr", "n’est plus dans la base de connaissances"),
        ("it", "non è più nella base di conoscenza"),
        ("en", "is no longer in the knowledge base"),
    ],
)
def test_a_deleted_published_article_answers_410(client, article, language, explanation):
    url = article.get_absolute_url(language)
    unpublish(article)
    with allow_deleting_published():
        article.delete()
    response = client.get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert explanation in page and page.count("<h1") == 1


def test_a_deleted_article_never_published_answers_404(client, db):
    draft = Article.objects.create(key="d", title_fr="Brouillon", slug_fr="brouillon")
    url = draft.get_absolute_url("fr")
    draft.delete()
    assert client.get(url).status_code == 404
    assert url == "/fr/base-de-connaissances/brouillon/"


# --- Recovering deleted drafts -----------------------------------------------------------------


def test_a_deleted_draft_term_is_recovered_with_every_language_and_its_links(
    editor, new_draft, csat
):
    client = client_for(editor)
    before = {
        field: getattr(new_draft, f"{field}_{code}")
        for field in ("name", "slug", "summary", "definition")
        for code in ("fr", "it", "en")
    }
    pk = new_draft.pk
    assert client.post(f"{TERMS}{pk}/delete/", {"post": "yes"}).status_code == 302
    assert not TermRelation.objects.filter(target=csat).exists()

    changelist = client.get(TERMS).content.decode()
    assert f'href="{TERMS}recover/"' in changelist and "Recover deleted terms" in changelist
    listing = client.get(f"{TERMS}recover/").content.decode()
    assert "Customer effort score" in listing and "alice" in listing
    record = deletion_record(Term, pk)
    response = client.post(f"{TERMS}recover/{record.history_id}/", follow=True)
    assert response.redirect_chain[-1][0] == f"{TERMS}{pk}/change/"
    assert "is back, as it was when it was deleted" in response.content.decode()
    assert "1 relation that was deleted with it is back too" in response.content.decode()

    term = Term.objects.get(pk=pk)
    assert {
        field: getattr(term, f"{field}_{code}")
        for field in ("name", "slug", "summary", "definition")
        for code in ("fr", "it", "en")
    } == before
    assert term.status == Term.Status.DRAFT and term.translation_states() == {
        "it": "complete",
        "en": "complete",
    }
    assert TermRelation.objects.get(source=term, target=csat).type == TermRelation.Type.BROADER
    assert TermRelation.objects.get(source=csat, target=term).type == TermRelation.Type.NARROWER
    assert term.history.first().history_change_reason == f"recover:{record.history_id}"
    assert "Nothing deleted is waiting" in client.get(f"{TERMS}recover/").content.decode()


def test_a_link_removed_by_hand_before_the_deletion_does_not_come_back(editor, new_draft, csat):
    TermRelation.objects.get(source=new_draft, target=csat).delete()
    pk = new_draft.pk
    new_draft.delete()
    record = deletion_record(Term, pk)
    client_for(editor).post(f"{TERMS}recover/{record.history_id}/")
    assert Term.objects.filter(key="customer-effort-score").exists()
    assert not TermRelation.objects.exists()


def test_a_deleted_draft_article_is_recovered_with_every_language(editor, db):
    texts = {
        "title_fr": "Brouillon", "slug_fr": "brouillon", "summary_fr": "Résumé.",
        "body_fr": "Corps.",
        "title_it": "Bozza", "slug_it": "bozza", "summary_it": "Riassunto.", "body_it": "Testo.",
        "title_en": "Draft", "slug_en": "draft", "summary_en": "Summary.", "body_en": "Body.",
    }  # fmt: skip
    draft = Article.objects.create(key="draft", **texts)
    pk = draft.pk
    client = client_for(editor)
    assert client.post(f"{ARTICLES}{draft.pk}/delete/", {"post": "yes"}).status_code == 302
    assert "Recover deleted articles" in client.get(ARTICLES).content.decode()
    assert "Bozza" in client.get(f"{ARTICLES}recover/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    record = deletion_record(Article, pk)
    assert client.post(f"{ARTICLES}recover/{record.history_id}/").status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert {name: getattr(recovered, name) for name in texts} == texts
    assert recovered.status == Article.Status.DRAFT


def test_recovery_is_refused_with_a_reason_when_the_slug_was_taken(editor, new_draft, make_term):
    pk = new_draft.pk
    new_draft.delete()
    make_term("other", fr={"name": "Autre", "slug": "score-effort-client"})
    record = deletion_record(Term, pk)
    response = client_for(editor).post(f"{TERMS}recover/{record.history_id}/", follow=True)
    assert "could not be recovered" in response.content.decode()
    assert not Term.objects.filter(key="customer-effort-score").exists()


def test_staff_see_deleted_terms_but_cannot_recover_them(staff, new_draft):
    pk = new_draft.pk
    new_draft.delete()
    client = client_for(staff)
    page = client.get(f"{TERMS}recover/")
    assert page.status_code == 200 and "Customer effort score" in page.content.decode()
    record = deletion_record(Term, pk)
    assert f"recover/{record.history_id}/" not in page.content.decode()  # no recover button
    assert client.post(f"{TERMS}recover/{record.history_id}/").status_code == 403
    assert client_for_anonymous_redirects(record)
    assert not Term.objects.filter(pk=pk).exists()


def client_for_anonymous_redirects(record) -> bool:
    from django.test import Client

    response = Client().post(f"{TERMS}recover/{record.history_id}/")
    return response.status_code == 302 and "/admin/login/" in response["Location"]


def test_recovery_needs_a_post(editor, new_draft):
    pk = new_draft.pk
    new_draft.delete()
    record = deletion_record(Term, pk)
    assert client_for(editor).get(f"{TERMS}recover/{record.history_id}/").status_code == 405


def test_the_gone_page_of_a_deleted_term_query_count(
    client, once_published, django_assert_num_queries
):
    url = once_published.get_absolute_url("fr")
    with allow_deleting_published():
        once_published.delete()
    # published term lookup (fr, then its two fallbacks), deprecated term lookup (the same
    # three), a published term that once had this slug (one query), the deleted term's
    # published versions (one query, every language), the published terms it was linked to
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 410


def test_the_history_of_a_recovered_term_says_so(editor, new_draft):
    pk = new_draft.pk
    new_draft.delete()
    client = client_for(editor)
    client.post(f"{TERMS}recover/{deletion_record(Term, pk).history_id}/")
    page = client.get(f"{TERMS}{pk}/history/").content.decode()
    assert "recovered after its deletion" in page
    relation = TermRelation.objects.get(source_id=pk)
    relation_page = client.get(f"/admin/glossary/termrelation/{relation.pk}/history/")
    assert relation_page.status_code == 200
    # The relations admin has no list of its own: links come back with their term.
    assert client.get("/admin/glossary/termrelation/recover/").status_code != 200


def test_a_published_term_deleted_before_this_rule_can_be_recovered_and_stays_protected(
    editor, once_published, csat
):
    """The issue's lost term: recovering it brings it back, and it can no longer be deleted."""
    pk = once_published.pk
    with allow_deleting_published():
        once_published.delete()
    # Rows saved before the column existed have no date: the history still knows.
    Term.history.filter(id=pk).update(first_published_at=None)
    client = client_for(editor)
    assert "Net Promoter Score" in client.get(f"{TERMS}recover/").content.decode()
    client.post(f"{TERMS}recover/{deletion_record(Term, pk).history_id}/")
    term = Term.objects.get(pk=pk)
    assert term.first_published_at is not None
    assert TermRelation.objects.filter(source=term, target=csat).exists()
    assert client.post(f"{TERMS}{pk}/delete/", {"post": "yes"}).status_code == 403

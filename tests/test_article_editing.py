"""Editors and articles: drafts-only deletion and no lost updates, as for terms."""

import pytest

from kb.articles.models import Article
from tests.admin_forms import client_for, form_data


@pytest.fixture
def article(db):
    return Article.objects.create(
        key="nps-pme",
        status=Article.Status.PUBLISHED,
        title_fr="Le NPS pour les PME",
        slug_fr="nps-pme",
        body_fr="Le NPS en bref.",
    )


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_bookmarks_of_the_old_article_admin_follow_the_move(editor, article):
    """Articles' admin moved from /admin/kb/ to /admin/articles/ with their app."""
    response = client_for(editor).get(f"/admin/kb/article/{article.pk}/change/?_tab=it")
    assert response.status_code == 301
    assert response["Location"] == f"{change_url(article)}?_tab=it"


def test_editors_may_edit_articles(editor, article):
    client = client_for(editor)
    data = form_data(client.get(change_url(article)))
    data["summary_fr"] = "Ce qu'une PME doit savoir."
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.summary_fr == "Ce qu'une PME doit savoir."


def test_a_published_article_cannot_be_deleted_even_by_direct_post(editor, superuser, article):
    for user in (editor, superuser):
        response = client_for(user).post(
            f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_bulk_delete_refuses_published_articles(editor, article):
    response = client_for(editor).post(
        "/admin/articles/article/",
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_draft_article_never_published_can_be_deleted(editor):
    # One published then set back to draft cannot: see tests/test_deletion.py.
    article = Article.objects.create(key="brouillon", title_fr="Brouillon", slug_fr="brouillon")
    response = client_for(editor).post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_second_editor_saving_an_article_is_refused_and_nothing_is_overwritten(
    make_editor, article
):
    alice, bob = client_for(make_editor("alice")), client_for(make_editor("bob"))
    alice_data = form_data(alice.get(change_url(article)))
    bob_data = form_data(bob.get(change_url(article)))
    alice_data["body_fr"] = "Texte d'Alice."
    assert alice.post(change_url(article), alice_data).status_code == 302
    bob_data["body_fr"] = "Texte de Bob."
    response = bob.post(change_url(article), bob_data)
    assert response.status_code == 200
    assert "nothing was overwritten" in response.content.decode()
    article.refresh_from_db()
    assert article.body_fr == "Texte d'Alice."

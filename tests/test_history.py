"""History and undo: every change recorded with who and what, readable diffs, one-click restore."""

from glossary.models import Term, TermRelation
from tests.admin_forms import client_for, form_data


def edit_in_admin(client, term: Term, **changes) -> None:
    url = f"/admin/glossary/term/{term.pk}/change/"
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def history_url(term: Term) -> str:
    return f"/admin/glossary/term/{term.pk}/history/"


def test_every_admin_save_is_recorded_with_who_and_what(nps_term, editor):
    edit_in_admin(client_for(editor), nps_term, summary_it="Indicatore di fedeltà.")
    latest = nps_term.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == editor
    assert latest.summary_it == "Indicatore di fedeltà."
    assert nps_term.history.count() == 2  # created, then changed


def test_history_page_shows_a_diff_per_field_and_language(nps_term, editor):
    client = client_for(editor)
    edit_in_admin(client, nps_term, summary_it="Indicatore di fedeltà.", name_en="NPS score")
    page = client.get(history_url(nps_term)).content.decode()
    assert "Summary" in page and "(Italian)" in page
    assert '<del class="history-old">Indicatore di raccomandazione.</del>' in page
    assert '<ins class="history-new">Indicatore di fedeltà.</ins>' in page
    assert "Name" in page and "(English)" in page
    assert "alice" in page
    # Bookkeeping columns are not shown as changes.
    assert "source text digest" not in page.lower()


def test_long_texts_get_a_word_level_diff(nps_term, editor):
    client = client_for(editor)
    long_definition = "Le NPS mesure la probabilité de recommandation. " * 5
    edit_in_admin(client, nps_term, definition_fr=long_definition)
    edit_in_admin(
        client, nps_term, definition_fr=long_definition.replace("probabilité", "envie", 1)
    )
    page = client.get(history_url(nps_term)).content.decode()
    assert "<del>probabilité</del><ins>envie</ins>" in page


def test_history_escapes_what_editors_typed(nps_term, editor):
    client = client_for(editor)
    edit_in_admin(client, nps_term, summary_fr="<script>alert(1)</script>")
    page = client.get(history_url(nps_term)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_restoring_an_earlier_version_brings_its_text_back_and_is_recorded(nps_term, editor):
    client = client_for(editor)
    original = nps_term.history.earliest()
    edit_in_admin(client, nps_term, summary_fr="Mauvaise modification.", name_it="Sbagliato")
    response = client.post(f"{history_url(nps_term)}{original.history_id}/restore/")
    assert response.status_code == 302
    nps_term.refresh_from_db()
    assert nps_term.summary_fr == "Indicateur de recommandation."
    assert nps_term.name_it == "Net Promoter Score"
    assert nps_term.version == 3
    latest = nps_term.history.first()
    assert latest.history_change_reason == f"restore:{original.history_id}"
    assert latest.history_user == editor
    assert nps_term.history.count() == 3
    page = client.get(history_url(nps_term)).content.decode()
    assert f"restored version #{original.history_id}" in page


def test_a_restore_can_itself_be_undone(nps_term, editor):
    client = client_for(editor)
    edit_in_admin(client, nps_term, summary_fr="Nouvelle phrase.")
    edited = nps_term.history.first()
    client.post(f"{history_url(nps_term)}{nps_term.history.earliest().history_id}/restore/")
    client.post(f"{history_url(nps_term)}{edited.history_id}/restore/")
    nps_term.refresh_from_db()
    assert nps_term.summary_fr == "Nouvelle phrase."


def test_restore_keeps_the_translation_status_of_the_restored_version(nps_term, editor):
    client = client_for(editor)
    original = nps_term.history.earliest()
    edit_in_admin(client, nps_term, summary_fr="Le français change.")
    nps_term.refresh_from_db()
    assert nps_term.translation_states()["it"] == "outdated"
    client.post(f"{history_url(nps_term)}{original.history_id}/restore/")
    nps_term.refresh_from_db()
    assert nps_term.translation_states() == {"it": "complete", "en": "complete"}


def test_restore_needs_a_post(nps_term, editor):
    client = client_for(editor)
    record = nps_term.history.earliest()
    assert client.get(f"{history_url(nps_term)}{record.history_id}/restore/").status_code == 405


def test_staff_see_the_history_but_cannot_restore(nps_term, editor, staff):
    edit_in_admin(client_for(editor), nps_term, summary_fr="Changement.")
    client = client_for(staff)
    page = client.get(history_url(nps_term))
    assert page.status_code == 200
    assert "Restore this version" not in page.content.decode()
    record = nps_term.history.earliest()
    response = client.post(f"{history_url(nps_term)}{record.history_id}/restore/")
    assert response.status_code == 403
    assert Term.objects.get(pk=nps_term.pk).summary_fr == "Changement."


def test_anonymous_visitors_cannot_restore(client, nps_term):
    record = nps_term.history.earliest()
    response = client.post(f"{history_url(nps_term)}{record.history_id}/restore/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_version_that_no_longer_fits_is_refused_with_a_reason(make_term, nps_term, editor):
    client = client_for(editor)
    original = nps_term.history.earliest()
    edit_in_admin(client, nps_term, slug_it="nps-nuovo")
    make_term("other", fr={"name": "Autre", "slug": "autre"}, it={"slug": "net-promoter-score-it"})
    response = client.post(f"{history_url(nps_term)}{original.history_id}/restore/", follow=True)
    assert "could not be restored" in response.content.decode()
    assert Term.objects.get(pk=nps_term.pk).slug_it == "nps-nuovo"


def test_a_record_of_another_term_cannot_be_restored_through_this_one(make_term, nps_term, editor):
    other = make_term("other", fr={"name": "Autre", "slug": "autre"})
    record = other.history.earliest()
    response = client_for(editor).post(f"{history_url(nps_term)}{record.history_id}/restore/")
    assert response.status_code == 404


def test_relations_and_categories_are_recorded_and_restorable(make_term, nps_term, editor):
    other = make_term("csat", fr={"name": "CSAT", "slug": "csat"})
    relation = TermRelation.objects.create(source=nps_term, target=other, type="related")
    relation.type = TermRelation.Type.SEE_ALSO
    relation.save()
    assert [r.type for r in relation.history.all()] == ["see_also", "related"]
    client = client_for(editor)
    url = f"/admin/glossary/termrelation/{relation.pk}/history/"
    page = client.get(url).content.decode()
    assert "See also" in page
    client.post(f"{url}{relation.history.earliest().history_id}/restore/")
    relation.refresh_from_db()
    assert relation.type == "related"
    # The reverse row follows, as for any save.
    assert TermRelation.objects.get(source=other, target=nps_term).type == "related"

    category = nps_term.category
    category.name_en = "CX"
    category.save()
    page = client.get(f"/admin/glossary/category/{category.pk}/history/").content.decode()
    assert "Customer experience" in page and "CX" in page


def test_history_page_query_count_does_not_grow_with_versions(
    nps_term, editor, django_assert_max_num_queries
):
    client = client_for(editor)
    for number in range(6):
        nps_term.summary_fr = f"Version {number}."
        nps_term.save()
    # session, user, groups+permissions, term, history records (with users), category names
    with django_assert_max_num_queries(12):
        assert client.get(history_url(nps_term)).status_code == 200


def test_restore_works_whatever_the_editors_language(make_term, editor):
    """A French-only term restored by an editor whose admin is in English (no English name)."""
    term = make_term("csat", fr={"name": "CSAT", "slug": "csat", "summary": "Satisfaction."})
    client = client_for(editor)  # English admin
    edit_in_admin(client, term, summary_fr="Changé.")
    response = client.post(f"{history_url(term)}{term.history.earliest().history_id}/restore/")
    assert response.status_code == 302
    assert Term.objects.get(pk=term.pk).summary_fr == "Satisfaction."

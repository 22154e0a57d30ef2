"""No lost updates: the second of two concurrent saves is refused and shows what changed."""

import pytest
from django.forms import ModelForm

from glossary.models import Category, Term
from kb.core.versioning import ConflictError
from tests.admin_forms import client_for, form_data


def change_url(term: Term) -> str:
    return f"/admin/glossary/term/{term.pk}/change/"


def test_a_stale_copy_cannot_overwrite_a_newer_save(nps_term):
    first = Term.objects.get(pk=nps_term.pk)
    second = Term.objects.get(pk=nps_term.pk)
    first.summary_fr = "Première version."
    first.save()
    second.summary_fr = "Seconde version, écrite sans voir la première."
    with pytest.raises(ConflictError) as error:
        second.save()
    assert error.value.current_version == 2
    nps_term.refresh_from_db()
    assert nps_term.summary_fr == "Première version."
    assert nps_term.version == 2


def test_each_save_increments_the_version(nps_term):
    nps_term.summary_fr = "Une autre phrase."
    nps_term.save()
    nps_term.save(update_fields=["summary_fr"])
    assert Term.objects.get(pk=nps_term.pk).version == 3


def test_categories_are_versioned_too(category):
    stale = Category.objects.get(pk=category.pk)
    category.name_fr = "Expérience du client"
    category.save()
    stale.name_fr = "Autre nom"
    with pytest.raises(ConflictError):
        stale.save()
    assert Category.objects.get(pk=category.pk).name_fr == "Expérience du client"


def test_second_editor_is_refused_with_what_changed_in_between(nps_term, make_editor):
    alice, bob = client_for(make_editor("alice")), client_for(make_editor("bob"))
    alice_data = form_data(alice.get(change_url(nps_term)))
    bob_data = form_data(bob.get(change_url(nps_term)))

    alice_data["summary_fr"] = "Indicateur de fidélité fondé sur la recommandation."
    assert alice.post(change_url(nps_term), alice_data).status_code == 302

    bob_data["summary_it"] = "Indicatore scritto da Bob."
    response = bob.post(change_url(nps_term), bob_data)
    assert response.status_code == 200  # the form again, with Bob's text kept in it
    page = response.content.decode()
    assert "alice saved this term after you opened it" in page
    assert "nothing was overwritten" in page
    assert "Summary" in page and "(French)" in page
    assert "Indicateur de fidélité fondé sur la recommandation." in page  # the new text, shown
    assert "Indicatore scritto da Bob." in page  # Bob's unsaved text is still in his form

    nps_term.refresh_from_db()
    assert nps_term.summary_fr == "Indicateur de fidélité fondé sur la recommandation."
    assert nps_term.summary_it == "Indicatore di raccomandazione."
    assert nps_term.version == 2


def test_the_database_update_refuses_a_save_the_form_check_missed(
    nps_term, make_editor, monkeypatch
):
    """A save racing past the form's check is still refused by the conditional UPDATE."""
    alice, bob = client_for(make_editor("alice")), client_for(make_editor("bob"))
    alice_data = form_data(alice.get(change_url(nps_term)))
    bob_data = form_data(bob.get(change_url(nps_term)))
    alice_data["name_it"] = "Net Promoter Score (IT)"
    assert alice.post(change_url(nps_term), alice_data).status_code == 302

    monkeypatch.setattr("glossary.admin.VersionedAdminForm.clean", ModelForm.clean)
    bob_data["name_en"] = "Bob's name"
    response = bob.post(change_url(nps_term), bob_data, follow=True)
    page = response.content.decode()
    assert "Alice saved this term after you opened it" in page  # the admin capitalises messages
    assert "Net Promoter Score (IT)</ins>" in page
    nps_term.refresh_from_db()
    assert nps_term.name_it == "Net Promoter Score (IT)"
    assert nps_term.name_en == "Net Promoter Score"
    assert nps_term.version == 2


def test_a_form_without_its_version_is_refused(nps_term, make_editor):
    editor = client_for(make_editor("alice"))
    data = form_data(editor.get(change_url(nps_term)))
    del data["version"]
    data["summary_fr"] = "Sans version."
    response = editor.post(change_url(nps_term), data)
    assert response.status_code == 200
    assert "reload the page" in response.content.decode()
    assert Term.objects.get(pk=nps_term.pk).summary_fr == "Indicateur de recommandation."


def test_saving_the_same_form_twice_is_refused_the_second_time(nps_term, make_editor):
    editor = client_for(make_editor("alice"))
    data = form_data(editor.get(change_url(nps_term)))
    data["summary_fr"] = "Premier envoi."
    assert editor.post(change_url(nps_term), data).status_code == 302
    data["summary_fr"] = "Double clic, ancien formulaire."
    assert editor.post(change_url(nps_term), data).status_code == 200
    assert Term.objects.get(pk=nps_term.pk).summary_fr == "Premier envoi."


def test_two_editors_on_a_category(category, make_editor):
    url = f"/admin/glossary/category/{category.pk}/change/"
    alice, bob = client_for(make_editor("alice")), client_for(make_editor("bob"))
    alice_data, bob_data = form_data(alice.get(url)), form_data(bob.get(url))
    alice_data["description_fr"] = "Tout ce que vit le client."
    assert alice.post(url, alice_data).status_code == 302
    bob_data["description_en"] = "Bob's description."
    response = bob.post(url, bob_data)
    assert response.status_code == 200
    assert "alice saved this category after you opened it" in response.content.decode()
    category.refresh_from_db()
    assert category.description_en in ("", None)

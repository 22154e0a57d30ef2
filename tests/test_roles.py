"""Role matrix: what anonymous visitors, staff (read-only), editors and superusers can do in the
admin, including direct POSTs that the admin's buttons would not offer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from glossary.models import Category, Term
from kb.core.roles import EDITORS, STAFF, ensure_roles
from tests.admin_forms import client_for, form_data

ADMIN = "/admin/glossary/term/"


@pytest.fixture
def draft(make_term):
    return make_term(
        "draft-term",
        status=Term.Status.DRAFT,
        fr={"name": "Terme en cours", "slug": "terme-en-cours", "summary": "Brouillon."},
    )


def permissions_of(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def new_term_data(client, category) -> dict:
    data = form_data(client.get(f"{ADMIN}add/"))
    data.update(
        key="customer-effort-score",
        name_fr="Customer Effort Score",
        slug_fr="customer-effort-score",
        category=category.pk,
        status=Term.Status.DRAFT,
    )
    return data


# --- The groups ---------------------------------------------------------------------------


def test_editors_have_exactly_the_editing_permissions(db):
    expected = {
        "glossary.add_term", "glossary.change_term", "glossary.view_term", "glossary.delete_term",
        "glossary.add_category", "glossary.change_category", "glossary.view_category",
        "glossary.add_termrelation", "glossary.change_termrelation",
        "glossary.view_termrelation", "glossary.delete_termrelation",
        "glossary.add_termlabel", "glossary.change_termlabel", "glossary.view_termlabel",
        "glossary.delete_termlabel",
        "glossary.add_termsource", "glossary.change_termsource", "glossary.view_termsource",
        "glossary.delete_termsource",
        "articles.add_section", "articles.change_section", "articles.view_section",
        "articles.add_article", "articles.change_article", "articles.view_article",
        "articles.delete_article",
        "feedback.view_feedback", "feedback.delete_feedback",
    }  # fmt: skip
    assert permissions_of(EDITORS) == expected


def test_staff_may_only_view(db):
    assert permissions_of(STAFF)
    assert all(".view_" in codename for codename in permissions_of(STAFF))
    assert {"glossary.view_term", "glossary.view_category"} <= permissions_of(STAFF)


def test_no_role_touches_users_or_groups(db):
    for role in (EDITORS, STAFF):
        assert not any(p.startswith("auth.") for p in permissions_of(role))


def test_roles_are_reapplied_exactly(db):
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=EDITORS)
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    ensure_roles()
    assert "auth.delete_user" not in permissions_of(EDITORS)


# --- Anonymous ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, draft, category):
    response = client.get(ADMIN)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(f"{ADMIN}add/", {"key": "x", "name_fr": "X", "slug_fr": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.post(f"{ADMIN}{draft.pk}/delete/", {"post": "yes"})
    assert Term.objects.filter(pk=draft.pk).exists()
    assert not Term.objects.filter(key="x").exists()


def test_anonymous_visitors_never_see_drafts(client, draft):
    assert client.get(draft.get_absolute_url("fr")).status_code == 404


# --- Staff (read-only) ----------------------------------------------------------------------


def test_staff_search_the_admin_and_see_drafts(staff, draft, nps_term):
    client = client_for(staff)
    page = client.get(ADMIN).content.decode()
    assert "Terme en cours" in page and "Net Promoter Score" in page
    found = client.get(ADMIN, {"q": "cours"}).content.decode()
    assert "Terme en cours" in found and "Net Promoter Score" not in found
    detail = client.get(f"{ADMIN}{draft.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_staff_cannot_change_add_or_delete_even_by_direct_post(staff, draft, category):
    client = client_for(staff)
    response = client.post(f"{ADMIN}{draft.pk}/change/", {"name_fr": "Piraté", "version": 1})
    assert response.status_code == 403
    assert client.post(f"{ADMIN}add/", {"key": "x", "name_fr": "X"}).status_code == 403
    assert client.post(f"{ADMIN}{draft.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        ADMIN, {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"}
    )
    assert Term.objects.get(pk=draft.pk).name_fr == "Terme en cours"
    response = client.post(
        ADMIN, {"action": "confirm_translation_it", "_selected_action": [draft.pk]}
    )
    assert Term.objects.get(pk=draft.pk).version == 1
    assert client.post(f"/admin/glossary/category/{category.pk}/change/", {}).status_code == 403


def test_staff_cannot_see_users_or_groups(staff):
    client = client_for(staff)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


# --- Editors --------------------------------------------------------------------------------


def test_editors_add_and_change_terms(editor, category):
    client = client_for(editor)
    response = client.post(f"{ADMIN}add/", new_term_data(client, category))
    assert response.status_code == 302
    term = Term.objects.get(key="customer-effort-score")
    url = f"{ADMIN}{term.pk}/change/"
    data = form_data(client.get(url))
    data["summary_fr"] = "Mesure l'effort demandé au client."
    assert client.post(url, data).status_code == 302
    assert Term.objects.get(pk=term.pk).summary_fr == "Mesure l'effort demandé au client."


def test_editors_delete_drafts(editor, draft):
    client = client_for(editor)
    assert client.post(f"{ADMIN}{draft.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Term.objects.filter(pk=draft.pk).exists()


def test_editors_cannot_delete_a_published_term_even_by_direct_post(editor, nps_term):
    client = client_for(editor)
    page = client.get(f"{ADMIN}{nps_term.pk}/change/").content.decode()
    assert f"{nps_term.pk}/delete/" not in page  # no delete link for a published term
    assert client.post(f"{ADMIN}{nps_term.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Term.objects.filter(pk=nps_term.pk).exists()


def test_bulk_delete_refuses_a_selection_with_published_terms(editor, nps_term, draft):
    client = client_for(editor)
    selection = {"action": "delete_selected", "_selected_action": [nps_term.pk, draft.pk]}
    confirmation = client.post(ADMIN, selection)
    assert "deprecate them instead" in confirmation.content.decode()
    assert client.post(ADMIN, {**selection, "post": "yes"}).status_code == 403
    assert Term.objects.filter(pk__in=[nps_term.pk, draft.pk]).count() == 2
    client.post(ADMIN, {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"})
    assert not Term.objects.filter(pk=draft.pk).exists()


def test_editors_deprecate_published_terms_instead(editor, nps_term):
    client = client_for(editor)
    client.post(ADMIN, {"action": "deprecate_selected", "_selected_action": [nps_term.pk]})
    assert Term.objects.get(pk=nps_term.pk).status == Term.Status.DEPRECATED


def test_editors_cannot_delete_categories(editor, category):
    client = client_for(editor)
    url = f"/admin/glossary/category/{category.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Category.objects.filter(pk=category.pk).exists()


def test_editors_cannot_manage_users_or_groups(editor, django_user_model):
    client = client_for(editor)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "mallory", "password1": "Xx-very-long-1", "password2": "Xx-very-long-1"},
    )
    assert response.status_code == 403
    assert not django_user_model.objects.filter(username="mallory").exists()
    group = Group.objects.get(name=EDITORS)
    response = client.post(f"/admin/auth/group/{group.pk}/change/", {"name": EDITORS})
    assert response.status_code == 403


# --- Superusers -----------------------------------------------------------------------------


def test_superusers_manage_users_but_also_deprecate_rather_than_delete(superuser, nps_term, draft):
    client = client_for(superuser)
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.post(f"{ADMIN}{nps_term.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{ADMIN}{draft.pk}/delete/", {"post": "yes"}).status_code == 302
    assert Term.objects.filter(pk=nps_term.pk).exists()


# --- manage.py createeditor -----------------------------------------------------------------


def test_createeditor_makes_an_editor(db, django_user_model, monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "a-long-enough-secret-42")
    call_command("createeditor", "carla", "--email", "carla@example.org")
    user = django_user_model.objects.get(username="carla")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("a-long-enough-secret-42")
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    assert user.has_perm("glossary.change_term")


def test_createeditor_staff_readonly(db, django_user_model):
    call_command(
        "createeditor", "sam2", "--staff-readonly", "--password", "a-long-enough-secret-42"
    )
    user = django_user_model.objects.get(username="sam2")
    assert list(user.groups.values_list("name", flat=True)) == [STAFF]
    assert user.has_perm("glossary.view_term") and not user.has_perm("glossary.change_term")


def test_createeditor_prompts_for_the_password(db, django_user_model, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a-long-enough-secret-42")
    call_command("createeditor", "dora")
    assert django_user_model.objects.get(username="dora").check_password("a-long-enough-secret-42")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["bad name!"], "Invalid username"),
        (["x" * 151], "too long"),
        (["alice"], "already exists"),
        (["eve", "--email", "not-an-email"], "Invalid email"),
        (["eve", "--password", "123"], "Password refused"),
        (["eve", "--password", "eve"], "Password refused"),
    ],
)
def test_createeditor_refuses_bad_input(editor, django_user_model, arguments, message):
    with pytest.raises(CommandError, match=message):
        if "--password" not in arguments:
            arguments = [*arguments, "--password", "a-long-enough-secret-42"]
        call_command("createeditor", *arguments)
    assert not django_user_model.objects.filter(username="eve").exists()


def test_createeditor_never_prompts_in_ci(db, django_user_model, monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("prompted"))
    with pytest.raises(CommandError, match="DJANGO_EDITOR_PASSWORD"):
        call_command("createeditor", "eve")
    assert not django_user_model.objects.filter(username="eve").exists()


def test_createeditor_exits_non_zero_without_a_traceback():
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_DEBUG": "1", "CI": "true", "LANG": "fr_FR.UTF-8"}
    env.pop("LANGUAGE", None), env.pop("LC_ALL", None), env.pop("LC_MESSAGES", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "createeditor", "bad name!", "--password", "x"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    # Commands speak the terminal's language (LANG): the message names the bad input.
    assert "CommandError: Nom d’utilisateur 'bad name!' non valide" in result.stderr
    assert "Traceback" not in result.stderr

"""Shared fixtures: users by role, a small glossary factory, and the real content."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Each test starts in English, as a command run from a C-locale terminal does.

    Requests activate their own language; without this, a language activated by one test
    (an API call, a command) would leak into the next and make results depend on order.
    """
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def cold_cache(settings):
    """Each test starts with an empty cache: no page, definition or auto-link pattern cached
    by an earlier test (whose rows its transaction rolled back) can answer for this one.

    Pages are rendered, not served from the page cache, so that tests which count a page's
    queries count its rendering; tests/test_page_cache.py turns the page cache on.
    """
    from django.core.cache import cache

    cache.clear()
    settings.PAGE_CACHE_VIEWS = []


@pytest.fixture
def category(db):
    from glossary.models import Category

    return Category.objects.create(
        key="customer-experience",
        name_fr="Expérience client",
        slug_fr="experience-client",
        name_it="Esperienza del cliente",
        slug_it="esperienza-cliente",
        name_en="Customer experience",
        slug_en="customer-experience",
    )


@pytest.fixture
def make_term(db, category):
    """Create a published term; `texts` maps a language to its fields (name, slug...) and to
    its labels, one per line: "synonyms" (admitted), "deprecated" and "hidden_labels"
    (search-only)."""
    from glossary.models import Term, TermLabel

    statuses = {"synonyms": "admitted", "deprecated": "deprecated", "hidden_labels": "search_only"}

    def make(key: str, status: str = Term.Status.PUBLISHED, **texts) -> Term:
        values, labels = {}, []
        for code, fields in texts.items():
            for field, value in fields.items():
                if field in statuses:
                    labels += [(code, line, statuses[field]) for line in value.splitlines()]
                else:
                    values[f"{field}_{code}"] = value
        term = Term.objects.create(key=key, category=category, status=status, **values)
        for position, (code, text, label_status) in enumerate(labels):
            TermLabel.objects.create(
                term=term, language=code, text=text, status=label_status, position=position
            )
        return term

    return make


@pytest.fixture
def nps_term(make_term):
    return make_term(
        "net-promoter-score",
        fr={"name": "Net Promoter Score", "slug": "net-promoter-score", "acronym": "NPS",
            "summary": "Indicateur de recommandation.", "definition": "Le **NPS** mesure..."},
        it={"name": "Net Promoter Score", "slug": "net-promoter-score-it", "acronym": "NPS",
            "summary": "Indicatore di raccomandazione.", "definition": "L'NPS misura..."},
        en={"name": "Net Promoter Score", "slug": "net-promoter-score-en", "acronym": "NPS",
            "summary": "A recommendation metric.", "definition": "The NPS measures..."},
    )  # fmt: skip


@pytest.fixture
def csat(make_term):
    """A second published term (customer satisfaction score), e.g. a replacement or a link."""
    return make_term(
        "customer-satisfaction-score",
        fr={"name": "Score de satisfaction", "slug": "score-de-satisfaction", "summary": "CSAT."},
        it={"name": "Punteggio di soddisfazione", "slug": "punteggio-soddisfazione",
            "summary": "CSAT."},
        en={"name": "Customer satisfaction score", "slug": "customer-satisfaction-score",
            "summary": "CSAT."},
    )  # fmt: skip


@pytest.fixture
def glossary_content(db):
    """The project's real glossary (glossary/content/*.json), as `make run` loads it."""
    from glossary.content import load

    return load()


@pytest.fixture
def make_editor(db, django_user_model):
    """Create a user in the Editors group (the role migration made the group)."""
    from django.contrib.auth.models import Group

    from kb.core.roles import EDITORS

    def make(username: str):
        user = django_user_model.objects.create_user(
            username, password="x-pass-4567", is_staff=True
        )
        user.groups.add(Group.objects.get(name=EDITORS))
        return user

    return make


@pytest.fixture
def editor(make_editor):
    return make_editor("alice")


@pytest.fixture
def staff(db, django_user_model):
    """A read-only staff member (the Staff group)."""
    from django.contrib.auth.models import Group

    from kb.core.roles import STAFF

    user = django_user_model.objects.create_user("sam", password="x-pass-4567", is_staff=True)
    user.groups.add(Group.objects.get(name=STAFF))
    return user


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", password="admin-pass-123")

"""Reader feedback: "Was this page helpful?" on article and term pages, without JavaScript,
CSRF-protected, rate-limited, stored as plain text, and read by editors in the admin."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.articles.models import Article
from kb.feedback.models import Feedback

HOSTILE = '<script>alert(1)</script> {{ request.META }} {% debug %} <b onmouseover="x">'


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Each test starts with no post counted for any address (the shared cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(db):
    return Article.objects.create(
        key="nps-guide",
        status=Article.Status.PUBLISHED,
        title_fr="Le NPS pour les PME", slug_fr="nps-pme", body_fr="Texte.",
        title_it="L’NPS per le PMI", slug_it="nps-pmi", body_it="Testo.",
        title_en="NPS for SMEs", slug_en="nps-smes", body_en="Text.",
    )  # fmt: skip


def feedback_url(language: str, name: str = "feedback:give") -> str:
    with translation.override(language):
        return reverse(name)


def post(client, language, **fields):
    return client.post(feedback_url(language), fields)


# --- On the pages --------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "it", "en"])
def test_article_and_term_pages_ask_whether_they_helped(client, article, nps_term, language):
    expected = {"fr": "Cette page vous a-t-elle été utile\u202f?",
                "it": "Questa pagina è stata utile?",
                "en": "Was this page helpful?"}[language]  # fmt: skip
    for kind, obj in (("article", article), ("term", nps_term)):
        response = client.get(obj.get_absolute_url(language))
        html = response.content.decode()
        prompt = r'<form class="wrap feedback-prompt" method="get" action="([^"]+)".*?</form>'
        form = re.search(prompt, html, re.S)
        assert form, kind
        assert form.group(1) == feedback_url(language)
        assert f"<legend>{expected}</legend>" in form.group(0)
        assert f'name="kind" value="{kind}"' in form.group(0)
        assert f'name="page" value="{obj.pk}"' in form.group(0)
        # Nothing per visitor: the page stays cacheable by a shared cache.
        assert "csrfmiddlewaretoken" not in html
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


def test_the_include_adds_no_query_to_the_article_page(client, article, django_assert_num_queries):
    path = article.get_absolute_url("en")
    client.get(path)  # builds the auto-link patterns
    # 1. the article, 2. its related published terms (as before the feedback form).
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200


def test_the_include_adds_no_query_to_the_term_page(client, nps_term, django_assert_num_queries):
    path = nps_term.get_absolute_url("en")
    client.get(path)
    # 1. the term with its category, 2. its labels, 3. its sources, 4. its relations, 5. its
    # related articles (as before).
    with django_assert_num_queries(5):
        assert client.get(path).status_code == 200


# --- Without JavaScript --------------------------------------------------------------------


THANKS = {
    "fr": "Merci pour votre avis",
    "it": "Grazie per il Suo parere",
    "en": "Thank you for your feedback",
}


@pytest.mark.parametrize("language", ["fr", "it", "en"])
def test_a_reader_answers_no_with_a_comment_and_is_thanked(client, article, language):
    # The page's "No" button leads to the form, the answer already chosen.
    response = client.get(
        feedback_url(language), {"kind": "article", "page": article.pk, "helpful": "no"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<input type="radio" name="helpful" value="no"[^>]*checked', html)
    assert article.text("title", language) in html
    assert not Feedback.objects.exists()  # nothing stored before the reader sends

    response = post(client, language, kind="article", page=article.pk, helpful="no",
                    comment="Il manque un exemple.\r\nMerci")  # fmt: skip
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    html = thanks.content.decode()
    assert THANKS[language] in html
    assert f'href="{article.get_absolute_url(language)}"' in html

    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.object_id, feedback.language) == (
        "article",
        article.pk,
        language,
    )
    assert feedback.helpful is False
    assert feedback.comment == "Il manque un exemple.\nMerci"
    assert len(feedback.address_hash) == 16 and "127.0.0.1" not in feedback.address_hash


def test_a_reader_says_yes_about_a_term_without_a_comment(client, nps_term):
    response = post(client, "it", kind="term", page=nps_term.pk, helpful="yes")
    assert response.status_code == 303
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.helpful, feedback.comment) == ("term", True, "")


def test_the_form_page_is_accessible_and_never_cached(client, nps_term):
    response = client.get(
        feedback_url("en"), {"kind": "term", "page": nps_term.pk, "helpful": "yes"}
    )
    html = response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "<fieldset" in html and "<legend>Was this page helpful?</legend>" in html
    assert '<label for="id_comment">Comment (optional)</label>' in html
    assert 'aria-describedby="id_comment_helptext"' in html
    assert '<meta name="robots" content="noindex">' in html


# --- Refusals -------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(nps_term):
    client = Client(enforce_csrf_checks=True)
    response = post(client, "en", kind="term", page=nps_term.pk, helpful="yes")
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_a_post_with_the_token_from_the_form_page_passes_the_csrf_check(nps_term):
    client = Client(enforce_csrf_checks=True)
    html = client.get(feedback_url("en"), {"kind": "term", "page": nps_term.pk}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = post(client, "en", kind="term", page=nps_term.pk, helpful="yes",
                    csrfmiddlewaretoken=token)  # fmt: skip
    assert response.status_code == 303


@pytest.mark.parametrize("language, expected", [
    ("fr", "Trop d’avis à la fois"), ("it", "Troppi pareri in poco tempo"),
    ("en", "Too much feedback at once"),
])  # fmt: skip
def test_a_flood_from_one_address_gets_a_429_page(client, nps_term, settings, language, expected):
    settings.FEEDBACK_RATE_LIMIT = 3
    for _ in range(3):
        assert (
            post(client, language, kind="term", page=nps_term.pk, helpful="no").status_code == 303
        )
    response = post(client, language, kind="term", page=nps_term.pk, helpful="no")
    assert response.status_code == 429
    assert expected in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Feedback.objects.count() == 3
    # Another address is not held back.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert post(other, language, kind="term", page=nps_term.pk, helpful="no").status_code == 303


def test_the_limit_counts_the_address_the_outermost_proxy_saw(nps_term, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    settings.PROXY_COUNT = 1
    first = Client(HTTP_X_FORWARDED_FOR="203.0.113.1", REMOTE_ADDR="10.0.0.1")
    second = Client(HTTP_X_FORWARDED_FOR="203.0.113.2", REMOTE_ADDR="10.0.0.1")
    assert post(first, "en", kind="term", page=nps_term.pk, helpful="yes").status_code == 303
    assert post(second, "en", kind="term", page=nps_term.pk, helpful="yes").status_code == 303
    assert post(first, "en", kind="term", page=nps_term.pk, helpful="yes").status_code == 429


def test_a_too_long_comment_is_refused_with_the_form_kept(client, nps_term):
    response = post(client, "en", kind="term", page=nps_term.pk, helpful="no", comment="x" * 1001)
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 1000 characters (it has 1001)" in html
    assert 'aria-invalid="true"' in html
    assert not Feedback.objects.exists()
    ok = post(client, "en", kind="term", page=nps_term.pk, helpful="no", comment="x" * 1000)
    assert ok.status_code == 303


@pytest.mark.parametrize("comment", ["a\x00b", "bell\x07", "esc\x1b[31m", "c1\x85c1", "\x7f"])
def test_control_characters_in_a_comment_are_refused_with_a_clear_message(
    client, nps_term, comment
):
    response = post(client, "fr", kind="term", page=nps_term.pk, helpful="no", comment=comment)
    assert response.status_code == 400
    assert "caractères de contrôle invisibles" in response.content.decode()
    assert not Feedback.objects.exists()


def test_tabs_and_newlines_are_kept(client, nps_term):
    post(client, "en", kind="term", page=nps_term.pk, helpful="no", comment="a\tb\nc")
    assert Feedback.objects.get().comment == "a\tb\nc"


def test_a_missing_answer_is_refused(client, nps_term):
    response = post(client, "en", kind="term", page=nps_term.pk, comment="Hmm")
    assert response.status_code == 400
    assert "Choose Yes or No." in response.content.decode()


def test_feedback_on_an_unknown_page_or_a_draft_is_a_404_with_a_message(
    client, make_term, nps_term, article
):
    draft = make_term("draft", status="draft", fr={"name": "Brouillon", "slug": "brouillon"})
    wrong = [("term", draft.pk), ("term", 999_999), ("article", nps_term.pk + 10**6),
             ("page", nps_term.pk), ("term", "abc"), ("term", -1), ("term", 10**30)]  # fmt: skip
    for kind, page in wrong:
        for response in (
            post(client, "en", kind=kind, page=page, helpful="yes"),
            client.get(feedback_url("en"), {"kind": kind, "page": page, "helpful": "yes"}),
        ):
            assert response.status_code == 404, (kind, page)
            assert "does not exist or is not published" in response.content.decode()
    assert not Feedback.objects.exists()


# --- Hostile text ---------------------------------------------------------------------------


def test_a_hostile_comment_is_stored_as_typed_and_escaped_everywhere(client, nps_term, superuser):
    post(client, "en", kind="term", page=nps_term.pk, helpful="no", comment=HOSTILE)
    assert Feedback.objects.get().comment == HOSTILE
    # Sent back with the form (an error elsewhere): escaped.
    html = post(client, "en", kind="term", page=nps_term.pk, comment=HOSTILE).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ request.META }}" in html  # shown as typed, never evaluated
    client.force_login(superuser)
    feedback = Feedback.objects.get()
    for url in (
        "/admin/feedback/feedback/",
        "/admin/feedback/feedback/?q=script",
        f"/admin/feedback/feedback/{feedback.pk}/change/",
        "/admin/feedback/feedback/least-helpful/?min=1",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert 'onmouseover="x"' not in html, url


# --- Fuzzing --------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
values = st.one_of(
    st.text(max_size=50),
    st.text(min_size=1000, max_size=1100),
    st.sampled_from(
        [
            "term",
            "article",
            "yes",
            "no",
            "1",
            "0",
            "-1",
            "9" * 40,
            "1e9",
            "\x00",
            " 1 ",
            "١",
            "NaN",
            "x" * 100_000,
        ]
    ),  # fmt: skip
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
bodies = st.dictionaries(
    st.sampled_from(["kind", "page", "helpful", "comment", "csrfmiddlewaretoken", "other"]),
    st.one_of(values, st.lists(values, max_size=3)),
    max_size=5,
)


@pytest.mark.django_db
@FUZZ
@given(
    body=bodies,
    language=st.sampled_from(["fr", "it", "en"]),
    method=st.sampled_from(["get", "post"]),
)
def test_any_body_gets_an_answer_never_a_server_error(body, language, method):
    cache.clear()
    client = Client(raise_request_exception=False)
    response = getattr(client, method)(feedback_url(language), body)
    assert response.status_code in {200, 303, 400, 404}, body


# --- Editors --------------------------------------------------------------------------------


@pytest.fixture
def votes(nps_term, article):
    """The term: 4 × yes, 1 × no (20 % no); the article: 1 × yes, 4 × no (80 % no)."""
    rows = [("term", nps_term.pk, True)] * 4 + [("term", nps_term.pk, False)]
    rows += [("article", article.pk, True)] + [("article", article.pk, False)] * 4
    Feedback.objects.bulk_create(
        Feedback(kind=kind, object_id=pk, helpful=helpful, language="fr",
                 comment=f"comment {index}" if not helpful else "")
        for index, (kind, pk, helpful) in enumerate(rows)
    )  # fmt: skip


def test_editors_read_feedback_filtered_and_searched(client, editor, votes, article):
    client.force_login(editor)
    response = client.get("/admin/feedback/feedback/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{article.get_absolute_url("fr")}">Le NPS pour les PME</a>' in html
    assert "Pages les moins utiles" in html  # the admin speaks French, the default language
    only_no = client.get("/admin/feedback/feedback/?helpful__exact=0&kind__exact=article")
    assert only_no.context["cl"].result_count == 4
    found = client.get("/admin/feedback/feedback/?q=comment+9")
    assert found.context["cl"].result_count == 1
    # Editors may delete (spam, a reader's request) but not add or change.
    assert client.get("/admin/feedback/feedback/add/").status_code == 403


def test_least_helpful_lists_pages_by_share_of_no_with_enough_answers(
    client, editor, votes, article, nps_term
):
    client.force_login(editor)
    response = client.get("/admin/feedback/feedback/least-helpful/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row["kind"], row["object_id"]) for row in rows] == [
        ("article", article.pk),
        ("term", nps_term.pk),
    ]
    assert [(row["total"], row["yes"], row["no"], row["percent_no"]) for row in rows] == [
        (5, 1, 4, 80),
        (5, 4, 1, 20),
    ]
    assert len(rows[0]["recent"]) == 3  # the latest three comments
    html = response.content.decode()
    assert "80\u202f%" in html and "comment 9" in html
    # A minimum the pages do not reach lists nothing.
    empty = client.get("/admin/feedback/feedback/least-helpful/?min=6")
    assert empty.context["rows"] == []
    assert "Aucune page n’a encore 6 réponses." in empty.content.decode()
    assert client.get("/admin/feedback/feedback/least-helpful/?min=abc").status_code == 200


def test_least_helpful_is_for_staff_with_view_permission_only(client, django_user_model, votes):
    assert client.get("/admin/feedback/feedback/least-helpful/").status_code == 302
    nobody = django_user_model.objects.create_user("bob", password="x-pass-4567", is_staff=True)
    client.force_login(nobody)
    assert client.get("/admin/feedback/feedback/least-helpful/").status_code == 403

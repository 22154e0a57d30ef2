"""The read-only JSON API: shapes other tools rely on, and clear 4xx answers."""

import pytest

from glossary.api import PAGE_SIZE
from glossary.models import TermRelation


def test_list_has_count_next_and_results_with_the_documented_fields(client, nps_term):
    data = client.get("/api/v1/terms/?lang=it").json()
    assert data["count"] == 1
    assert data["next"] is None
    assert data["results"] == [
        {
            "slug": "net-promoter-score-it",
            "name": "Net Promoter Score",
            "acronym": "NPS",
            "summary": "Indicatore di raccomandazione.",
            "url": "/it/termini/net-promoter-score-it/",
            "languages": ["fr", "it", "en"],
        }
    ]


def test_list_is_paginated_with_a_next_link(client, make_term):
    for index in range(PAGE_SIZE + 3):
        make_term(f"t{index:03}", fr={"name": f"Terme {index:03}", "slug": f"terme-{index:03}"})
    first = client.get("/api/v1/terms/?lang=fr").json()
    assert first["count"] == PAGE_SIZE + 3
    assert len(first["results"]) == PAGE_SIZE
    assert first["next"] == "http://testserver/api/v1/terms/?lang=fr&page=2"
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 3
    assert second["next"] is None


def test_detail_adds_definition_synonyms_category_relations_and_translations(
    client, nps_term, make_term
):
    voc = make_term("voc", fr={"name": "Voix du client", "slug": "voix-du-client"},
                    en={"name": "Voice of the customer", "slug": "voice-of-the-customer",
                        "summary": "x"})  # fmt: skip
    TermRelation.objects.create(source=nps_term, target=voc, type="related")
    data = client.get("/api/v1/terms/net-promoter-score-en/?lang=en").json()
    assert data["definition_html"] == "<p>The NPS measures...</p>"
    assert data["category"]["name"] == "Customer experience"
    assert data["relations"] == [
        {"type": "related", "slug": "voice-of-the-customer", "name": "Voice of the customer",
         "url": "/en/terms/voice-of-the-customer/"}
    ]  # fmt: skip
    assert data["translations"]["it"] == {
        "name": "Net Promoter Score",
        "slug": "net-promoter-score-it",
        "url": "/it/termini/net-promoter-score-it/",
    }


def test_unknown_slug_is_a_404_json_error(client, db):
    response = client.get("/api/v1/terms/nothing-here/?lang=fr")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "query",
    [
        "lang=xx", "lang=", "lang=fr%00", "page=0", "page=-1", "page=abc", "page=1e9999",
        "page=99999999999999999999999", "lang=" + "f" * 5000, "page=1.5",
    ],
)  # fmt: skip
def test_bad_parameters_are_400_json_errors_with_a_code_and_message(client, db, query):
    response = client.get(f"/api/v1/terms/?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] and error["message"]


def test_a_page_past_the_end_is_a_404_json_error(client, nps_term):
    response = client.get("/api/v1/terms/?page=5")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "page_not_found"


def test_error_messages_follow_the_requested_language(client, db):
    response = client.get("/api/v1/terms/?lang=it&page=0")
    assert (
        response.json()["error"]["message"]
        == "Il numero di pagina deve essere compreso tra 1 e 100000."
    )


def test_draft_terms_are_not_in_the_api(client, make_term):
    make_term("draft", status="draft", fr={"name": "Brouillon", "slug": "brouillon"})
    assert client.get("/api/v1/terms/?lang=fr").json()["count"] == 0
    assert client.get("/api/v1/terms/brouillon/?lang=fr").status_code == 404


def test_openapi_description_documents_the_term_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/terms/" in schema["paths"]
    assert "/api/v1/terms/{slug}/" in schema["paths"]


def test_an_unknown_language_is_a_400_with_its_own_code_in_the_readers_language(client, db):
    response = client.get("/api/v1/terms/?lang=de", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_language",
        "message": "Lingua sconosciuta 'de': le lingue possibili sono fr, it, en.",
    }


def test_a_malformed_parameter_is_reported_in_the_requested_language(client, db):
    response = client.get("/api/v1/terms/?lang=it&page=abc", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["error"] == {
        "code": "invalid_parameters",
        "message": "Parametri non validi: page.",
    }


def test_openapi_documents_lang_as_an_enum_and_every_error_answer(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/terms/", "/api/v1/terms/{slug}/", "/api/v1/search", "/api/v1/suggest"):
        operation = schema["paths"][path]["get"]
        lang = next(p for p in operation["parameters"] if p["name"] == "lang")
        assert lang["schema"]["enum"] == ["fr", "it", "en"]
        error = operation["responses"]["400"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ErrorOut"}
    for path in ("/api/v1/terms/", "/api/v1/terms/{slug}/"):
        assert "404" in schema["paths"][path]["get"]["responses"]


def test_a_list_page_takes_two_queries(client, make_term, django_assert_num_queries):
    for index in range(3):
        make_term(f"t{index}", fr={"name": f"Terme {index}", "slug": f"terme-{index}"})
    # The paginator's count, then the page of terms.
    with django_assert_num_queries(2):
        assert client.get("/api/v1/terms/?lang=fr").status_code == 200


def test_french_error_messages_put_a_narrow_no_break_space_before_a_colon(client, db):
    response = client.get("/api/v1/terms/?lang=fr&page=abc")
    assert response.json()["error"]["message"] == "Paramètres invalides\u202f: page."

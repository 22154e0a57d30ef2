"""Anything sent to the calculator gets an answer, never a 5xx (Hypothesis).

Every query parameter and form field of the calculator page and of its embed (GET and the CSV
upload's POST), and every field of ``POST /api/v1/nps`` (the only NPS operation of
/api/v1/openapi.json), receive arbitrary text, numbers (NaN, infinities, 400-digit integers),
lists and nested objects, with keys missing or unknown. The page must answer 2xx or 4xx; the API
a 2xx, or a 4xx with its JSON error body. Bounded for CI: a few seconds each, derandomized.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.nps.api import TOP_FIELDS

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

PAGES = ["/en/tools/nps/", "/fr/outils/nps/", "/it/strumenti/nps/incorpora/"]
SAMPLE_FIELDS = [
    "promoters", "passives", "detractors", *(f"n{score}" for score in range(11)),
    "scores", "column", "csv_data", "file_name",
]  # fmt: skip
PAGE_FIELDS = [
    "mode", "compare", "confidence", "decimals", "target", "margin",
    *SAMPLE_FIELDS, *(f"b_{name}" for name in SAMPLE_FIELDS),
]  # fmt: skip

# What people (and robots) type: digits of other scripts, signs, exponents, huge numbers...
typed = st.one_of(
    st.sampled_from(
        ["", " ", "0", "5", "0100", "1e1", "1e-300", "1e308", "5.00001", "nan", "inf", "-inf",
         "٣", "５", "−20", "1/2", "1 234", "9,0", "=CMD()", "\x00", "10" * 200, "csv", "list",
         "counts", "distribution", "on", "95", "0.99", "2"]
    ),
    st.text(max_size=30),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)  # fmt: skip
# A valid sample with options (or anything else) on top, so that the options are really read.
VALID_QUERIES = [
    {},
    {"promoters": "60", "passives": "25", "detractors": "15"},
    {"mode": "distribution", **{f"n{score}": "3" for score in range(11)}},
    {"mode": "list", "scores": "9 10 6 7"},
    {"promoters": "6", "b_promoters": "1", "b_detractors": "1", "compare": "1"},
]
queries = st.builds(
    lambda base, extra: base | extra,
    st.sampled_from(VALID_QUERIES),
    st.dictionaries(st.sampled_from(["target", "margin", "confidence", "decimals"]), typed)
    | st.dictionaries(st.sampled_from(PAGE_FIELDS), typed, max_size=6),
)

scalars = st.one_of(
    st.sampled_from([1e-300, 1e-158, 1e308, 5.00001, 0.1, -0.0, 10**400, 95, 0.95, 2]),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    typed,
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=12)
        | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)
field_names = st.sampled_from(sorted(TOP_FIELDS)) | st.text(max_size=12)
OPTIONS = sorted(TOP_FIELDS - {"promoters", "passives", "detractors", "distribution", "scores"})
# Bodies shaped like a request (a valid sample and options) more often than not.
bodies = st.one_of(
    st.dictionaries(field_names, json_values, max_size=6),
    st.builds(
        lambda options: {"promoters": 60, "passives": 25, "detractors": 15} | options,
        st.dictionaries(st.sampled_from(OPTIONS), scalars | json_values, max_size=4),
    ),
    st.builds(
        lambda render, options: {"distribution": [3] * 11, "render": render} | options,
        st.dictionaries(st.sampled_from(["target", "margin"]), scalars, max_size=2),
        st.dictionaries(st.sampled_from(["target", "margin", "decimals"]), scalars, max_size=2),
    ),
    st.fixed_dictionaries(
        {"promoters": scalars},
        optional={name: json_values for name in sorted(TOP_FIELDS - {"promoters"})},
    ),
    st.fixed_dictionaries(
        {"scores": st.lists(scalars, max_size=20) | typed},
        optional={
            "compare": json_values,
            "render": json_values,
            "margin": scalars,
            "target": scalars,
            "decimals": scalars,
            "confidence": scalars,
        },
    ),  # fmt: skip
    json_values,
)


def check_page(response) -> None:
    assert response.status_code < 500, response.content[:500]
    assert response.status_code in {200, 400, 413}


@pytest.mark.django_db
@FUZZ
@given(page=st.sampled_from(PAGES), query=queries)
def test_the_page_and_the_embed_answer_any_query(page, query):
    check_page(Client().get(page, query))


@pytest.mark.django_db
@FUZZ
@given(
    page=st.sampled_from(PAGES),
    fields=queries,
    file_a=st.none() | st.binary(max_size=2000),
    file_b=st.none() | st.binary(max_size=200),
    csv_text=st.none() | st.lists(st.lists(typed, max_size=6), max_size=6),
)
def test_the_page_and_the_embed_answer_any_upload(page, fields, file_a, file_b, csv_text):
    data: dict = {"mode": "csv", **fields}
    if csv_text is not None:
        file_a = "\n".join(";".join(row) for row in csv_text).encode("utf-8", "surrogatepass")
    if file_a is not None:
        data["file"] = SimpleUploadedFile("a.csv", file_a, content_type="text/csv")
    if file_b is not None:
        data["b_file"] = SimpleUploadedFile("b.csv", file_b, content_type="text/csv")
    check_page(Client().post(page, data))


@pytest.mark.django_db  # a rendered result links to glossary entries
@FUZZ
@given(body=bodies, lang=st.none() | st.sampled_from(["fr", "it", "en", "de", "", "٣"]))
def test_the_api_answers_any_body_with_json(body, lang):
    url = "/api/v1/nps" if lang is None else f"/api/v1/nps?lang={lang}"
    try:
        payload = json.dumps(body)
    except ValueError:  # integers too long for json.dumps: sent as written
        payload = repr(body)
    response = Client().post(url, data=payload, content_type="application/json")
    assert response.status_code in {200, 400}, response.content[:500]
    data = response.json()
    if response.status_code == 400:
        assert set(data) == {"error"}
        assert data["error"]["code"] and data["error"]["message"]
    else:
        assert data["n"] > 0


@FUZZ
@given(raw=st.binary(max_size=200))
def test_the_api_answers_any_bytes_with_json(raw):
    response = Client().post("/api/v1/nps", data=raw, content_type="application/json")
    assert response.status_code in {200, 400}
    assert "error" in response.json() or response.json()["n"] > 0

"""POST /api/v1/nps: the issue's request, response and error shapes; hostile bodies get 400."""

import json

import pytest

from tests.nps_reference import REFERENCE_INTERVAL, REFERENCE_WALD

URL = "/api/v1/nps"


def post(client, body, *, raw: bool = False, **headers):
    data = body if raw else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


class TestResults:
    def test_counts_give_the_full_result(self, client):
        response = post(client, {"promoters": 60, "passives": 25, "detractors": 15})
        assert response.status_code == 200
        data = response.json()
        assert data["nps"] == 45.0
        assert data["nps_display"] == "+45"
        assert (data["n"], data["promoters"], data["passives"], data["detractors"]) == (
            100,
            60,
            25,
            15,
        )
        assert data["skipped"] == 0
        assert data["interval"] == REFERENCE_INTERVAL
        assert data["wald"] == REFERENCE_WALD

    def test_distribution_and_scores_give_the_same_numbers(self, client):
        distribution = [1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 2]
        scores = [0, 6, 7, 9, 10, 10]
        by_distribution = post(client, {"distribution": distribution}).json()
        by_scores = post(client, {"scores": scores}).json()
        assert by_distribution == by_scores
        assert by_scores["nps_display"] == "+17"

    def test_blank_scores_are_skipped_not_zero(self, client):
        data = post(client, {"scores": [9, None, "", 10, "7"]}).json()
        assert (data["n"], data["skipped"]) == (3, 2)

    def test_pasted_text_is_accepted_as_scores(self, client):
        data = post(client, {"scores": "9;10;9,0\n6"}).json()
        assert data["n"] == 4
        assert data["warnings"][0]["code"] == "decimal_score"

    def test_rounding_half_away_from_zero(self, client):
        assert (
            post(client, {"promoters": 3, "passives": 3, "detractors": 2}).json()["nps_display"]
            == "+13"
        )
        assert (
            post(client, {"promoters": 2, "passives": 3, "detractors": 3}).json()["nps_display"]
            == "-13"
        )
        data = post(client, {"promoters": 29, "passives": 171, "detractors": 0}).json()
        assert (data["nps"], data["nps_display"]) == (14.5, "+15")

    def test_comparison_keeps_the_sign(self, client):
        data = post(
            client,
            {
                "promoters": 20,
                "passives": 30,
                "detractors": 50,
                "compare": {"promoters": 60, "passives": 25, "detractors": 15},
                "confidence": 0.99,
            },
        ).json()
        comparison = data["comparison"]
        assert set(comparison) >= {
            "difference",
            "se",
            "z",
            "p_value",
            "lower",
            "upper",
            "significant",
        }
        assert comparison["difference"] < 0
        assert comparison["significant"] is True
        assert data["interval"]["confidence"] == 0.99
        assert data["compare"]["nps_display"] == "+45"

    def test_target_and_margin_plan_ahead(self, client):
        data = post(
            client, {"promoters": 60, "passives": 25, "detractors": 15, "target": 50, "margin": 5}
        ).json()
        assert data["promoters_needed"]["additional"] == 10
        assert data["sample_size"]["worst_case"] == 1534

    @pytest.mark.django_db  # the rendered result links to glossary entries
    def test_render_returns_the_pages_result_in_the_requested_language(self, client):
        data = client.post(
            URL + "?lang=fr",
            data=json.dumps({"promoters": "60", "passives": "25", "detractors": "15",
                             "decimals": 1, "render": {"target": "", "margin": "2,5"}}),
            content_type="application/json",
        ).json()  # fmt: skip
        assert data["nps_display"] == "+45.0"  # the JSON stays locale-neutral
        assert '<output class="nps-score">+45,0</output>' in data["html"]
        assert "<svg" in data["html"]

    def test_the_endpoint_is_in_the_openapi_description(self, client):
        schema = client.get("/api/v1/openapi.json").json()
        operation = schema["paths"]["/api/v1/nps"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert {"promoters", "distribution", "scores", "compare", "confidence"} <= set(
            body["properties"]
        )
        assert "400" in operation["responses"]

    def test_the_openapi_description_is_generated_from_the_code(self, client):
        from kb import nps
        from kb.nps.api import TOP_FIELDS

        operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/nps"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert set(body["properties"]) == TOP_FIELDS  # the reader accepts what is documented
        assert body["additionalProperties"] is False
        assert {"required": ["scores"]} in body["anyOf"]  # one form of sample is required
        assert body["properties"]["decimals"]["maximum"] == nps.DECIMALS[-1] == 2
        (lang,) = [p for p in operation["parameters"] if p["name"] == "lang"]
        enums = [kind.get("enum") for kind in lang["schema"].get("anyOf", [lang["schema"]])]
        assert lang["in"] == "query" and ["fr", "it", "en"] in enums
        assert {"200", "400"} <= set(operation["responses"])

    @pytest.mark.parametrize(
        "body",
        [
            {"promoters": 60, "passives": 25, "detractors": 15, "target": 50, "margin": 5},
            {"scores": "9;10;9,0\n6", "compare": {"distribution": [1] * 11}},
            {"promoters": 1, "render": True},
        ],
    )
    @pytest.mark.django_db
    def test_every_answer_has_the_documented_shape(self, client, body):
        from kb.nps.api import NpsOut

        NpsOut.model_validate(post(client, body).json())  # the Schemas forbid extra keys

    def test_an_unknown_lang_is_a_400_like_on_every_endpoint(self, client):
        response = client.post(
            URL + "?lang=AAA", data=json.dumps({"promoters": 1}), content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"]


class TestErrors:
    def test_error_shape_with_position_and_value(self, client):
        response = post(client, {"scores": [9, 10, "abc"]})
        assert response.status_code == 400
        error = response.json()["error"]
        assert {"code", "message", "position", "value"} <= set(error)
        assert error["code"] == "invalid_score"
        assert error["position"] == 3
        assert error["value"] == "'abc'"

    @pytest.mark.parametrize(
        ("headers", "query", "expected"),
        [
            ({"HTTP_ACCEPT_LANGUAGE": "fr"}, "", "Il n’y a aucune réponse"),
            ({"HTTP_ACCEPT_LANGUAGE": "fr"}, "?lang=it", "Non ci sono risposte"),
            ({"HTTP_ACCEPT_LANGUAGE": "en"}, "", "There are no responses"),
        ],
    )
    def test_messages_follow_lang_then_accept_language(self, client, headers, query, expected):
        response = client.post(
            URL + query,
            data=json.dumps({"promoters": 0, "passives": 0, "detractors": 0}),
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "no_responses"
        assert response.json()["error"]["message"].startswith(expected)

    def test_errors_in_the_second_sample_say_so(self, client):
        response = post(
            client,
            {"promoters": 1, "compare": {"promoters": -1, "passives": 0, "detractors": 0}},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        error = response.json()["error"]
        assert error["field"] == "compare.promoters"
        assert "field compare.promoters" in error["message"]

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            (b"not json", "invalid_json"),
            (b"", "invalid_json"),
            (b"\xff\xfe\x00garbage", "invalid_json"),
            (b"[1, 2, 3]", "invalid_request"),
            (b'"text"', "invalid_request"),
            (b"null", "invalid_request"),
            (b'{"promoters": NaN}', "invalid_json"),
            (b'{"promoters": Infinity}', "invalid_json"),
            (b'{"promoters": 1e999}', "invalid_count"),
            (b'{"promoters": ' + b"9" * 5000 + b"}", "count_too_large"),
            (b'{"promoters": "' + b"9" * 5000 + b'"}', "count_too_large"),
            (b'{"scores": [' + b"9" * 5000 + b"]}", "invalid_score"),
            (b'{"promoters": true}', "invalid_count"),
            (b'{"scores": [true, 9]}', "invalid_score"),
            (b'{"promoters": [1]}', "invalid_count"),
            (b'{"promoters": {"a": 1}}', "invalid_count"),
            (b'{"promoters": 1.5}', "invalid_count"),
            (b'{"promoters": -1}', "invalid_count"),
            (b'{"promoters": 10000000000000}', "count_too_large"),
            (b'{"distribution": [1, 2]}', "invalid_distribution"),
            (b'{"distribution": "11 counts"}', "invalid_distribution"),
            (b'{"distribution": {"0": 1}}', "invalid_distribution"),
            (b'{"scores": 9}', "invalid_input"),
            (b'{"scores": [[9]]}', "invalid_score"),
            (b'{"scores": [{"score": 9}]}', "invalid_score"),
            (b'{"scores": ["=CMD()"]}', "invalid_score"),
            (b'{"scores": [11]}', "invalid_score"),
            (b"{}", "missing_sample"),
            (b'{"promoters": 1, "scores": [9]}', "ambiguous_sample"),
            (b'{"promoter": 1}', "unknown_field"),
            (b'{"promoters": 1, "confidence": 0.5}', "unsupported_confidence"),
            (b'{"promoters": 1, "confidence": "high"}', "unsupported_confidence"),
            (b'{"promoters": 1, "confidence": true}', "unsupported_confidence"),
            (b'{"promoters": 1, "decimals": "2"}', "invalid_decimals"),
            (b'{"promoters": 1, "decimals": 99}', "invalid_decimals"),
            (b'{"promoters": 1, "compare": [1]}', "invalid_request"),
            (b'{"promoters": 1, "compare": {}}', "missing_sample"),
            (b'{"promoters": 1, "compare": {"promoters": 0}}', "no_responses"),
            (b'{"promoters": 1, "target": "fifty"}', "invalid_target"),
            (b'{"promoters": 1, "target": 500}', "invalid_target"),
            (b'{"promoters": 1, "margin": 0}', "invalid_margin"),
            (b'{"promoters": 1, "margin": true}', "invalid_margin"),
            (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
            (b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, "invalid_json"),
        ],
    )
    def test_hostile_bodies_get_400_with_a_code(self, client, body, code):
        response = post(client, body, raw=True)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == code
        assert response.json()["error"]["message"]

    def test_a_10_megabyte_body_is_refused(self, client):
        body = b'{"scores": "' + b"9 " * (5 * 1024 * 1024) + b'"}'
        response = post(client, body, raw=True)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "body_too_large"

    def test_a_million_scores_fit(self, client):
        body = json.dumps({"scores": [9, 10, 7, 3] * 250_000})
        response = post(client, body, raw=True)
        assert response.status_code == 200
        assert response.json()["n"] == 1_000_000

    def test_get_is_not_allowed(self, client):
        assert client.get(URL).status_code == 405


class TestPlannerFields:
    """target and margin: the page's rules, with JSON numbers (or the page's text in render)."""

    body = {"promoters": 60, "passives": 25, "detractors": 15}

    @pytest.mark.parametrize(
        "margin",
        # 1e-300 used to end in a ZeroDivisionError, 1e-158 in an OverflowError.
        [1e-300, 1e-158, 1e308, 5.00001, 0.001, -5, 0, 101, 10**400, "5", None, [5], {"m": 5}],
    )
    def test_a_nonsense_margin_is_a_400(self, client, margin):
        response = post(client, self.body | {"margin": margin})
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["code"], error["field"]) == ("invalid_margin", "margin")

    @pytest.mark.parametrize("margin", [1e-300, "1e-300", "1e1", "5.00001", "nan"])
    def test_the_margin_is_a_number_of_points_with_at_most_two_decimals(self, margin):
        from kb import nps

        with pytest.raises(nps.NpsError) as raised:
            nps.sample_size(margin)
        assert raised.value.code == "invalid_margin"

    @pytest.mark.parametrize(
        ("margin", "worst"), [(5, 1534), (2.5, 6144), (0.01, 384_145_880), (100, 1)]
    )
    def test_a_margin_within_the_rules_plans_the_sample(self, client, margin, worst):
        data = post(client, self.body | {"margin": margin}).json()
        assert data["sample_size"]["worst_case"] == worst

    @pytest.mark.parametrize("target", [1e-300, 50.001, -101, 1e308, "50", None, [50]])
    def test_a_nonsense_target_is_a_400(self, client, target):
        response = post(client, self.body | {"target": target})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_target"

    @pytest.mark.django_db  # the rendered result links to glossary entries
    @pytest.mark.parametrize(
        ("render", "field"),
        [
            # These three used to end in a 500 (the planner's int(None)).
            ({"margin": "1e1"}, "margin"),
            ({"margin": "5.00001"}, "margin"),
            ({"margin": "nan"}, "margin"),
            ({"target": "1e1"}, "target"),
            ({"target": "x" * 5000}, "target"),
            ({"margin": 1e-300}, "margin"),
        ],
    )
    def test_the_pages_boxes_sent_with_render_are_checked_like_the_page(
        self, client, render, field
    ):
        response = post(client, self.body | {"render": render})
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["field"] == field
        assert error["code"] == f"invalid_{field}"

    @pytest.mark.django_db
    def test_render_reads_0100_as_100_like_the_page(self, client):
        response = client.post(
            URL + "?lang=en",
            data=json.dumps(self.body | {"render": {"margin": "0100"}}),
            content_type="application/json",
        )
        assert response.status_code == 200
        assert "margin of error of ±100 points" in response.json()["html"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("٣", "invalid_count"),  # Arabic-Indic three: only ASCII digits are counts
        ("３", "invalid_count"),  # full-width three
        ("1e3", "invalid_count"),
        (-1, "invalid_count"),
        (1.5, "invalid_count"),
        (10**400, "count_too_large"),
        (10**13, "count_too_large"),
        ("9" * 5000, "count_too_large"),
        ([1], "invalid_count"),
        ({"n": 1}, "invalid_count"),
    ],
)
def test_nonsense_counts_are_a_400_naming_the_field(client, value, code):
    response = post(client, {"promoters": value, "passives": 1})
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, "promoters")
    assert len(error["message"]) < 300

"""The NPS calculator page: every input mode, errors in the visitor's language, never a 500."""

import html as html_module
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation


def calculator_url(language: str = "en", embed: bool = False) -> str:
    with translation.override(language):
        return reverse("nps:embed" if embed else "nps:calculator")


@pytest.fixture
def nps_terms(make_term):
    """The four glossary entries the calculator links to."""
    terms = {}
    for key, name in [
        ("net-promoter-score", "Net Promoter Score"),
        ("promoter", "Promoter"),
        ("passive", "Passive"),
        ("detractor", "Detractor"),
    ]:
        texts = {
            code: {"name": name, "slug": f"{key}-{code}", "summary": name}
            for code in ("fr", "it", "en")
        }
        terms[key] = make_term(key, **texts)
    return terms


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def field_error(response, name: str) -> str:
    """The error message shown next to one input."""
    html = response.content.decode()
    match = re.search(rf'<span class="error" id="id_{name}_error">(.*?)</span>', html, re.S)
    assert match, f"no error next to {name}"
    return html_module.unescape(match.group(1))


@pytest.mark.django_db
class TestPathsAndLinks:
    def test_the_calculator_has_a_translated_address_in_each_language(self):
        assert calculator_url("fr") == "/fr/outils/nps/"
        assert calculator_url("it") == "/it/strumenti/nps/"
        assert calculator_url("en") == "/en/tools/nps/"

    @pytest.mark.parametrize("language", ["fr", "it", "en"])
    def test_empty_page_answers_200_with_one_h1_and_no_result(self, client, language):
        response = client.get(calculator_url(language))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert 'class="nps-score"' not in html
        assert f'<html lang="{language}">' in html

    def test_header_and_home_link_to_the_calculator(self, client):
        html = client.get("/en/").content.decode()
        assert 'href="/en/tools/nps/"' in html

    def test_the_nps_term_page_links_to_the_calculator(self, client, nps_terms):
        html = client.get(nps_terms["net-promoter-score"].get_absolute_url("fr")).content.decode()
        assert 'id="nps-calculator-title"' in html
        assert 'href="/fr/outils/nps/"' in html
        # Prominent: inside the article, right after the definition, not down in the aside.
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        assert 'class="callout"' in article and 'href="/fr/outils/nps/"' in article
        other = client.get(nps_terms["promoter"].get_absolute_url("fr")).content.decode()
        assert 'id="nps-calculator-title"' not in other

    def test_terms_link_to_their_glossary_pages(self, client, nps_terms):
        html = client.get(calculator_url("en") + "?promoters=6&passives=3&detractors=1").content
        html = html.decode()
        for key in ("net-promoter-score", "promoter", "passive", "detractor"):
            assert f'href="{nps_terms[key].get_absolute_url("en")}"' in html

    def test_missing_terms_are_plain_words_not_broken_links(self, client):
        response = client.get(calculator_url("en") + "?promoters=6&passives=3&detractors=1")
        assert response.status_code == 200
        assert "/terms/" not in response.content.decode().split("<main")[1].split("</main>")[0]
        assert "Promoters" in text_of(response)

    def test_one_query_whatever_the_input(self, client, nps_terms, django_assert_num_queries):
        url = calculator_url("en") + "?promoters=60&passives=25&detractors=15&compare=1"
        url += "&b_promoters=5&b_passives=5&b_detractors=5"
        # 1. the four glossary entries the page links to, in one query
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
class TestModes:
    def test_three_counts(self, client):
        response = client.get(calculator_url("en") + "?promoters=60&passives=25&detractors=15")
        assert response.status_code == 200
        text = text_of(response)
        assert '<output class="nps-score">+45</output>' in response.content.decode()
        assert "Based on 100 responses" in text
        assert "95% confidence interval: +29.3 to +58.0" in text
        for share in ("60%", "25%", "15%"):
            assert share in text

    def test_percentages_add_up_to_100(self, client):
        response = client.get(calculator_url("en") + "?promoters=1&passives=1&detractors=1")
        html = response.content.decode()
        shares = [
            int(value)
            for value in re.findall(r'<tr class="nps-row-\w+">.*?<td>(\d+)%</td></tr>', html)
        ]
        assert sorted(shares) == [33, 33, 34]
        assert sum(shares) == 100

    def test_eleven_counts(self, client):
        query = "&".join(f"n{score}=1" for score in range(11))
        response = client.get(calculator_url("en") + "?mode=distribution&" + query)
        assert response.status_code == 200
        # 2 promoters, 2 passives, 7 detractors out of 11: -45.45... displayed with a true minus
        assert '<output class="nps-score">\N{MINUS SIGN}45</output>' in response.content.decode()

    def test_pasted_list_counts_blank_lines_as_skipped(self, client):
        response = client.get(calculator_url("en"), {"mode": "list", "scores": "10\n9\n\n7\n3\n"})
        assert response.status_code == 200
        text = text_of(response)
        assert "Based on 4 responses; 1 blank answer skipped" in text
        assert '<output class="nps-score">+25</output>' in response.content.decode()

    def test_csv_upload_shows_a_preview_and_a_column_picker(self, client):
        data = b"id;Score;comment\n1;9;top\n2;10;\n3;6;bof\n"
        upload = SimpleUploadedFile("survey.csv", data, content_type="text/csv")
        response = client.post(calculator_url("en"), {"mode": "csv", "file": upload})
        assert response.status_code == 200
        html = response.content.decode()
        assert '<output class="nps-score">+33</output>' in html
        assert '<th scope="col">comment</th>' in html
        assert '<option value="Score" selected>Score</option>' in html
        assert 'name="csv_data"' in html  # the file travels back to pick another column

    def test_choosing_another_column_reuses_the_carried_file(self, client):
        data = b"a,b\n9,0\n9,0\n"
        upload = SimpleUploadedFile("two.csv", data, content_type="text/csv")
        first = client.post(calculator_url("en"), {"mode": "csv", "file": upload, "column": "a"})
        carried = re.search(r'name="csv_data" value="([^"]+)"', first.content.decode()).group(1)
        second = client.post(
            calculator_url("en"), {"mode": "csv", "csv_data": carried, "column": "b"}
        )
        assert second.status_code == 200
        assert '<output class="nps-score">\N{MINUS SIGN}100</output>' in second.content.decode()

    def test_comparison_says_in_plain_words_whether_it_is_significant(self, client):
        base = calculator_url("en") + "?promoters=60&passives=25&detractors=15&compare=1"
        big = client.get(base + "&b_promoters=20&b_passives=30&b_detractors=50")
        assert "Sample A scores higher than sample B" in text_of(big)
        assert "statistically significant at the 95% level" in text_of(big)
        close = client.get(base + "&b_promoters=58&b_passives=25&b_detractors=17")
        assert "not statistically significant" in text_of(close)

    def test_small_sample_warning_below_30(self, client):
        small = client.get(calculator_url("en") + "?promoters=10&passives=5&detractors=5")
        assert "Only 20 responses" in text_of(small)
        large = client.get(calculator_url("en") + "?promoters=20&passives=5&detractors=5")
        assert "Only 30 responses" not in text_of(large)

    def test_planner_and_promoters_needed(self, client):
        response = client.get(
            calculator_url("en") + "?promoters=60&passives=25&detractors=15&target=50&margin=5"
        )
        text = text_of(response)
        assert "plan for 1,534 responses" in text
        assert "To reach +50, you need 10 more promoters" in text

    def test_decimals_and_decimal_comma_in_french_and_italian(self, client):
        query = "?promoters=60&passives=25&detractors=15&decimals=1"
        for language in ("fr", "it"):
            html = client.get(calculator_url(language) + query).content.decode()
            assert '<output class="nps-score">+45,0</output>' in html
        english = client.get(calculator_url("en") + query).content.decode()
        assert '<output class="nps-score">+45.0</output>' in english

    def test_localized_counts_are_read(self, client):
        response = client.get(
            calculator_url("fr"), {"promoters": "1 234", "passives": "0", "detractors": "1 234"}
        )
        assert response.status_code == 200
        assert "Sur 2 468 réponses" in text_of(response).replace("\u202f", " ").replace("\xa0", " ")

    def test_inputs_keep_their_values(self, client):
        response = client.get(
            calculator_url("en") + "?promoters=60&passives=abc&detractors=15&confidence=99"
        )
        html = response.content.decode()
        assert 'name="promoters" value="60"' in html
        assert 'name="passives" value="abc"' in html
        assert '<option value="99" selected>' in html

    def test_the_result_has_an_svg_chart_with_a_text_alternative(self, client):
        html = client.get(
            calculator_url("en") + "?promoters=60&passives=25&detractors=15"
        ).content.decode()
        svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
        assert 'role="img"' in svg
        assert "<title" in svg and "<desc" in svg
        assert "<figcaption>Detractors 15%, passives 25%, promoters 60%." in html


@pytest.mark.django_db
class TestErrors:
    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("en", "“abc” is not a number of responses."),
            ("fr", "«\xa0abc\xa0» n’est pas un nombre de réponses."),
            ("it", "«abc» non è un numero di risposte."),
        ],
    )
    def test_bad_count_is_explained_next_to_its_box_in_the_visitors_language(
        self, client, language, expected
    ):
        response = client.get(calculator_url(language) + "?promoters=abc&passives=1&detractors=1")
        assert response.status_code == 400
        assert field_error(response, "promoters") == expected

    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("en", "There are no responses"),
            ("fr", "Il n’y a aucune réponse"),
            ("it", "Non ci sono risposte"),
        ],
    )
    def test_no_responses_is_an_error_not_a_zero(self, client, language, expected):
        response = client.get(calculator_url(language) + "?promoters=0&passives=0&detractors=0")
        assert response.status_code == 400
        assert expected in text_of(response)
        assert 'class="nps-score"' not in response.content.decode()

    def test_bad_score_in_a_list_names_its_line(self, client):
        response = client.get(calculator_url("en"), {"mode": "list", "scores": "9\n10\n11\n"})
        assert response.status_code == 400
        assert field_error(response, "scores") == (
            "“11” is not a score: scores are whole numbers from 0 to 10. (line 3, column 1)"
        )

    def test_bad_distribution_cell_is_flagged_where_it_is(self, client):
        response = client.get(calculator_url("it"), {"mode": "distribution", "n7": "-3"})
        assert response.status_code == 400
        assert "non può essere negativo" in field_error(response, "n7")

    @pytest.mark.parametrize(
        "query",
        [
            {"promoters": "9" * 5000},
            {"promoters": "1e9999"},
            {"promoters": "NaN"},
            {"promoters": "\x00"},
            {"confidence": "0.5", "promoters": "1"},
            {"confidence": "9" * 400, "promoters": "1"},
            {"decimals": "7", "promoters": "1"},
            {"target": "1e999", "promoters": "1"},
            {"margin": "0", "promoters": "1"},
            {"mode": "distribution", "n11": "1", "n0": "x"},
            {"mode": "list", "scores": "=CMD()"},
            {"mode": "nonsense", "promoters": "x"},
            {"compare": "1", "promoters": "1"},
        ],
    )
    def test_hostile_queries_get_400_never_500(self, client, query):
        response = client.get(calculator_url("en"), query)
        assert response.status_code == 400

    def test_target_error_sits_next_to_the_target_box(self, client):
        response = client.get(
            calculator_url("fr") + "?promoters=1&passives=1&detractors=1&target=200"
        )
        assert response.status_code == 400
        assert "Le NPS visé doit être un nombre" in field_error(response, "target")

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (b"PK\x03\x04binary", "looks like XLSX"),
            (b"\x00\x01\x02\x03" * 100, "This is not a CSV file"),
            (b"", "Choose a CSV file"),
            (b"score\n9\n=CMD()\n", "“=CMD()” is not a number"),
        ],
    )
    def test_bad_uploads_are_explained(self, client, content, expected):
        upload = SimpleUploadedFile("bad.csv", content, content_type="text/csv")
        response = client.post(calculator_url("en"), {"mode": "csv", "file": upload})
        assert response.status_code == 400
        assert expected in text_of(response).replace("&quot;", '"')

    def test_unknown_column_lists_the_columns(self, client):
        upload = SimpleUploadedFile("s.csv", b"id;Score\n1;9\n", content_type="text/csv")
        response = client.post(
            calculator_url("en"), {"mode": "csv", "file": upload, "column": "Nope"}
        )
        assert response.status_code == 400
        error = field_error(response, "column")
        assert "This file has no column “Nope”" in error
        assert "“Score”" in error
        picker = re.search(r'<select name="column"[^>]*>', response.content.decode()).group(0)
        assert 'aria-invalid="true"' in picker
        assert 'aria-describedby="id_column_error"' in picker


@pytest.mark.django_db
@pytest.mark.usefixtures("nps_terms")
class TestPlannerBoxes:
    """The margin and target boxes: one rule, in kb.nps, for the page, the embed and the API."""

    base = {"promoters": "60", "passives": "25", "detractors": "15"}

    @pytest.mark.parametrize(
        "margin",
        # 1e1, 5.00001 and 0100 used to end in a 500 (the planner's int(None)).
        ["1e1", "5.00001", "1e-300", "1e-158", "1e308", "nan", "inf", "-5", "0", "0,001",
         "1/2", "٣", "５", "101", "5" * 5000, " ", "5 5", "--5", "+-5", "0x10"],
    )  # fmt: skip
    @pytest.mark.parametrize("language", ["fr", "en"])
    def test_a_nonsense_margin_is_refused_next_to_its_box(self, client, margin, language):
        response = client.get(calculator_url(language), self.base | {"margin": margin})
        if not margin.strip():
            assert response.status_code == 200  # an empty box: the default margin
            return
        assert response.status_code == 400
        message = field_error(response, "margin")
        expected = {"en": "The margin must be a number of points", "fr": "La marge doit être"}
        assert expected[language] in message

    @pytest.mark.parametrize(
        ("margin", "shown", "responses"),
        [("0100", "100", "1"), ("2,5", "2.5", "6,144"), ("+5", "5", "1,534"), ("0.01", "0.01",
         "384,145,880"), (" 5 ", "5", "1,534")],
    )  # fmt: skip
    def test_a_margin_as_people_type_it_plans_the_sample(self, client, margin, shown, responses):
        response = client.get(calculator_url("en"), self.base | {"margin": margin})
        assert response.status_code == 200
        assert f"For a margin of error of ±{shown} points" in text_of(response)
        assert f"plan for {responses} responses" in text_of(response)

    @pytest.mark.parametrize(
        "target",
        ["1e1", "50.001", "1e-300", "nan", "inf", "-101", "101", "٣", "５0", "5" * 5000, "1/2"],
    )
    def test_a_nonsense_target_is_refused_next_to_its_box(self, client, target):
        response = client.get(calculator_url("en"), self.base | {"target": target})
        assert response.status_code == 400
        assert "The target NPS must be a number" in field_error(response, "target")

    @pytest.mark.parametrize(
        ("target", "shown"), [("050", "+50"), ("−20", "−20"), ("50,5", "+50.5"), ("-100", "−100")]
    )
    def test_a_target_as_people_type_it_is_read(self, client, target, shown):
        response = client.get(calculator_url("en"), self.base | {"target": target})
        assert response.status_code == 200
        text = text_of(response)
        assert f"To reach {shown}" in text or f"already reaches {shown}" in text


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.django_db
class TestUploadCaps:
    """What an anonymous upload may cost: capped while read, and a bounded page."""

    def test_a_file_over_the_cap_is_refused_while_it_is_read(self, client, monkeypatch):
        from django.core.files import uploadedfile

        from kb.nps import uploads

        handlers = []
        real_init = uploads.CappedUploadHandler.__init__

        def spy(self, *args, **kwargs):
            real_init(self, *args, **kwargs)
            handlers.append(self)

        temporary_files = []
        real_temporary = uploadedfile.TemporaryUploadedFile.__init__

        def temporary(self, *args, **kwargs):
            temporary_files.append(args)
            real_temporary(self, *args, **kwargs)

        monkeypatch.setattr(uploads.CappedUploadHandler, "__init__", spy)
        monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", temporary)
        monkeypatch.setattr("kb.nps.MAX_BYTES", 100_000)
        data = b"score\n" + b"9\n" * 1_000_000  # 2 MB, twenty times the cap
        response = client.post(
            calculator_url("fr"), {"mode": "csv", "file": upload("big.csv", data)}
        )
        assert response.status_code == 413
        message = field_error(response, "file").replace("\xa0", " ")
        assert "Le fichier est trop volumineux" in message
        assert "97,7 Kio" in message  # the cap, in the visitor's units
        (handler,) = handlers
        assert handler.too_large == {"file"}
        assert handler.most_held <= 100_000 + handler.chunk_size < len(data)
        assert temporary_files == []  # nothing was written to disk

    def test_a_small_file_is_not_written_to_disk_either(self, client, monkeypatch):
        from django.core.files import uploadedfile

        def refuse(*args, **kwargs):
            raise AssertionError("a temporary file was created")

        monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", refuse)
        # 4 MB: Django's own handlers would have written it to a temporary file (over 2.5 MB).
        data = b"id;score\n" + b"".join(b"%d;9\n" % index for index in range(450_000))
        response = client.post(calculator_url("en"), {"mode": "csv", "file": upload("s.csv", data)})
        assert response.status_code == 200
        assert "Based on 450,000 responses" in text_of(response)

    def test_a_request_declaring_more_than_two_capped_files_is_not_read(self, client):
        from kb.nps.uploads import MAX_REQUEST_BYTES

        response = client.post(
            calculator_url("en"),
            data=b"--x--",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(MAX_REQUEST_BYTES + 1),
        )
        assert response.status_code == 413
        assert "The file is too large" in field_error(response, "file")

    def test_boxes_over_djangos_memory_limit_are_refused_with_the_message(self, client):
        # A carried copy far larger than any the page sends (DATA_UPLOAD_MAX_MEMORY_SIZE).
        response = client.post(calculator_url("en"), {"mode": "csv", "csv_data": "A" * 3_000_000})
        assert response.status_code == 413
        assert "The file is too large" in field_error(response, "file")

    def test_the_second_samples_file_over_the_cap_is_refused_next_to_its_box(
        self, client, monkeypatch
    ):
        monkeypatch.setattr("kb.nps.MAX_BYTES", 1000)
        response = client.post(
            calculator_url("en"),
            {"mode": "csv", "compare": "1", "file": upload("a.csv", b"score\n9\n"),
             "b_file": upload("b.csv", b"score\n" + b"9\n" * 1000)},
        )  # fmt: skip
        assert response.status_code == 413
        assert "The file is too large" in field_error(response, "b_file")

    def test_a_one_line_file_of_a_million_cells_is_refused_in_a_small_page(self, client):
        data = b",".join([b"9", b"8", b"10"] * 300_000)  # 2 MB on one line: the issue's file
        response = client.post(
            calculator_url("en"), {"mode": "csv", "file": upload("line.csv", data)}
        )
        assert response.status_code == 400
        assert "A row of the file is longer than 262,144 characters" in field_error(
            response, "file"
        )
        assert len(response.content) < 50_000
        assert response.content.count(b"<td") == 0

    def test_a_wide_file_shows_a_capped_preview_and_picker_but_any_column_can_be_read(self, client):
        names = ";".join(f"q{index}" for index in range(1, 3001)) + ";Score"
        row = ";".join(["x" * 80] * 30 + ["x"] * 2970) + ";9"
        data = "\n".join([names, row, row]).encode()
        response = client.post(
            calculator_url("en"), {"mode": "csv", "file": upload("wide.csv", data)}
        )
        html = response.content.decode()
        text = text_of(response)
        preview = re.search(r'<div class="nps-preview">.*?</div>', html, re.S).group()
        assert preview.count("<th ") == 20
        assert preview.count("<td>") == 2 * 20
        assert max(len(cell) for cell in re.findall(r"<td>([^<]*)</td>", preview)) == 50
        assert "x" * 49 + "…" in preview
        assert "(showing the first 20 of 3,001 columns)" in text
        assert html.count('<option value="q') == 50  # the picker's suggestions
        assert "This file has 3,001 columns; the list shows the first 50." in text
        # The score column is the 3,001st: typed by its name or its number, it is read.
        for column in ("Score", "3001"):
            chosen = client.post(
                calculator_url("en"),
                {"mode": "csv", "file": upload("wide.csv", data), "column": column},
            )
            assert chosen.status_code == 200, field_error(chosen, "column")
            assert "Based on 2 responses" in text_of(chosen)

    def test_an_unknown_column_of_a_wide_file_lists_only_the_first_columns(self, client):
        names = ";".join(f"q{index}" for index in range(1, 3001))
        data = (names + "\n" + ";".join(["9"] * 3000) + "\n").encode()
        response = client.post(
            calculator_url("en"),
            {"mode": "csv", "file": upload("wide.csv", data), "column": "nope"},
        )
        assert response.status_code == 400
        error = field_error(response, "column")
        assert "It has 3,000 columns, the first of which are" in error
        assert "“q50”" in error and "“q51”" not in error
        assert len(error) < 1000


@pytest.mark.parametrize(
    "query",
    [
        {"mode": "counts", "promoters": "x", "passives": "-1", "detractors": "2", "margin": "1e1"},
        {"mode": "distribution", "n3": "abc", "target": "500"},
        {"mode": "list", "scores": "11 12"},
    ],
)
def test_each_box_in_error_names_its_message_for_screen_readers(client, nps_terms, query):
    html = client.get(calculator_url("fr"), query).content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described, "no box points at its error message"
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    for references in described:
        for reference in references.split():
            assert reference in ids, f"aria-describedby names a missing element: {reference}"

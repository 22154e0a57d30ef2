"""Glossary import and export: round trips, dry runs, validation, admin and API downloads."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from glossary.interchange import (
    FORMATS,
    STAMP_COLUMNS,
    Record,
    csv_format,
    export_records,
    get_format,
    marker_columns,
)
from glossary.models import Category, Term, TermLabel, TermRelation, TermSource

EXTENSIONS = {"csv": "csv", "json": "json", "skos": "ttl", "tbx": "tbx"}


@pytest.fixture(autouse=True)
def english_messages():
    """Commands speak the active language (French by default); these tests read English."""
    with translation.override("en"):
        yield


def snapshot():
    """Everything every format carries, in a comparable form (statuses and timestamps travel
    in the JSON backup only: tests/test_backup.py)."""
    categories, terms = export_records()
    backup_only = {*STAMP_COLUMNS, *marker_columns()}
    return (
        [(r.key, r.values) for r in categories],
        [
            (
                r.key,
                {c: v for c, v in r.values.items() if c not in backup_only},
                sorted(r.relations),
            )
            for r in terms
        ],
    )


def empty_the_database():
    TermRelation.objects.all()._raw_delete(using="default")
    TermLabel.objects.all()._raw_delete(using="default")
    TermSource.objects.all()._raw_delete(using="default")
    Term.objects.update(replaced_by=None)
    Term.objects.all()._raw_delete(using="default")
    Category.objects.all()._raw_delete(using="default")


def export_to(tmp_path, fmt):
    path = tmp_path / f"glossary.{EXTENSIONS[fmt]}"
    call_command("glossary_export", format=fmt, output=str(path))
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_into_an_empty_database_reproduces_the_glossary(
    glossary_content, tmp_path, fmt
):
    # A deprecated term with a replacement, labels of every status and type in an unusual
    # order, sources, a usage note and an example travel too.
    term = Term.objects.get(key="customer-information-file")
    term.status = Term.Status.DEPRECATED
    term.replaced_by = Term.objects.get(key="customer-relationship-management")
    term.usage_note_it = "In Italia si dice *NDG*."
    term.example_en = "Check the customer information file before calling."
    term.save()
    term.labels.filter(language="en").delete()
    for position, (text, status, kind) in enumerate(
        [
            ("Zeta file", "admitted", ""),
            ("Alpha file", "deprecated", "short_form"),
            ("CIF", "admitted", "abbreviation"),
            ("custmer file", "search_only", ""),
        ]
    ):
        TermLabel.objects.create(
            term=term, language="en", text=text, status=status, type=kind, position=position
        )
    TermSource.objects.create(
        term=term, author="Banca d'Italia", title="Anagrafe", year=2020,
        url="https://www.bancaditalia.it/", note="NDG", language="it",
    )  # fmt: skip
    TermSource.objects.create(term=term, title="Shared, with a comma", position=1)
    before = snapshot()
    path = export_to(tmp_path, fmt)
    empty_the_database()
    assert Term.objects.count() == 0
    call_command("glossary_import", str(path))
    assert snapshot() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_its_own_export_again_changes_nothing(glossary_content, tmp_path, fmt, capsys):
    path = export_to(tmp_path, fmt)
    capsys.readouterr()
    call_command("glossary_import", str(path))
    out = capsys.readouterr().out
    assert f"terms: 0 to create, 0 to change, {Term.objects.count()} unchanged" in out
    assert "links: 0 to create, 0 to change" in out


def test_dry_run_prints_the_diff_and_writes_nothing(glossary_content, tmp_path, capsys):
    path = export_to(tmp_path, "json")
    data = json.loads(path.read_text())
    data["terms"][0]["it"]["summary"] = "Riassunto nuovo."
    data["terms"].append({**data["terms"][1], "key": "brand-new"})
    for code in ("fr", "it", "en"):
        data["terms"][-1][code] = {**data["terms"][-1][code], "slug": f"brand-new-{code}"}
    path.write_text(json.dumps(data, ensure_ascii=False))
    first = data["terms"][0]["key"]
    capsys.readouterr()
    call_command("glossary_import", str(path), dry_run=True)
    out = capsys.readouterr().out
    assert f"~ term {first}" in out
    assert "summary_it: " in out and "-> 'Riassunto nuovo.'" in out
    assert "+ term brand-new" in out
    assert "Dry run, nothing written" in out
    assert f"terms: 1 to create, 1 to change, {Term.objects.count() - 1} unchanged" in out
    assert not Term.objects.filter(key="brand-new").exists()
    assert Term.objects.get(key=first).summary_it != "Riassunto nuovo."


def test_import_never_deletes_what_the_file_leaves_out(glossary_content, tmp_path):
    path = tmp_path / "one.csv"
    call_command("glossary_export", format="csv", output=str(path))
    with path.open(newline="") as source:
        rows = list(csv.reader(source))
    # Keep the header and the category rows only: no term is in the file.
    with path.open("w", newline="") as target:
        csv.writer(target).writerows(row for row in rows if row[0] != "term")
    count = Term.objects.count()
    call_command("glossary_import", str(path))
    assert Term.objects.count() == count


CSV_HEADER = "record,key,category,status,name_fr,slug_fr,relations\r\n"


def test_bad_rows_are_all_reported_with_their_line_numbers_and_nothing_is_written(
    glossary_content, tmp_path
):
    path = tmp_path / "bad.csv"
    path.write_text(
        CSV_HEADER
        + "term,new-one,crm,published,Nouveau,nouveau,\r\n"  # line 2: fine
        + "term,bad key!,crm,published,X,x,\r\n"  # line 3
        + "term,other,nowhere,published,Autre,autre,\r\n"  # line 4
        + "term,third,crm,maybe,Troisième,net-promoter-score,\r\n"  # line 5: status and slug
        + "term,fourth,crm,published,,quatre,related:ghost\r\n"  # line 6: no name, bad link
    )
    with pytest.raises(CommandError) as raised:
        call_command("glossary_import", str(path))
    message = str(raised.value)
    assert raised.value.returncode == 2
    assert "bad.csv: line 3:" in message and "not a valid identifier" in message
    assert "line 4: unknown category 'nowhere'" in message
    assert "line 5: unknown status 'maybe'" in message
    assert "line 5: slug_fr 'net-promoter-score' is already used by 'net-promoter-score'" in (
        message
    )
    assert "line 6: name_fr is required" in message
    assert "line 6: bad relation target 'ghost'" in message
    assert not Term.objects.filter(key="new-one").exists()


def test_import_is_all_or_nothing_when_the_database_refuses(glossary_content, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(
        CSV_HEADER
        + "term,aaa-first,crm,published,Premier,premier,\r\n"
        + "term,zzz-second,crm,published,Second,second,related:aaa-first\r\n"
    )
    call_command("glossary_import", str(path))
    assert TermRelation.objects.filter(source__key="aaa-first").get().target.key == "zzz-second"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.json", '{"terms": [', "line 1: not valid JSON"),
        ("broken.tbx", "<tbx><unclosed>", "not well-formed XML"),
        ("evil.tbx", '<!DOCTYPE x [<!ENTITY a "aaaa">]><tbx/>', "DTDs and entities"),
        ("broken.ttl", "@prefix : <x> . :a :b", "Turtle"),
        ("columns.csv", "record,key,colour\r\n", "unknown columns colour"),
        ("contradiction.csv", CSV_HEADER + "term,net-promoter-score,customer-experience,"
         "published,Net Promoter Score,net-promoter-score,related:promoter\r\n"
         "term,promoter,customer-experience,published,Promoteur,promoteur,"
         "broader:net-promoter-score\r\n",
         "line 3: relation to 'net-promoter-score' contradicts another row"),
    ],
)  # fmt: skip
def test_hostile_or_broken_files_fail_with_a_clear_message(
    glossary_content, tmp_path, name, content, expected
):
    path = tmp_path / name
    path.write_text(content)
    before = snapshot()
    with pytest.raises(CommandError, match=expected) as raised:
        call_command("glossary_import", str(path))
    assert raised.value.returncode == 2
    assert snapshot() == before


def test_non_utf8_and_unknown_extension_are_refused(db, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("record,key\r\nterm,caf\xe9\r\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("glossary_import", str(latin))
    other = tmp_path / "glossary.doc"
    other.write_text("x")
    with pytest.raises(CommandError, match="give --format"):
        call_command("glossary_import", str(other))


def test_csv_has_one_column_per_field_and_language(glossary_content):
    header = get_format("csv").dump(*export_records()).splitlines()[0].split(",")
    for code in ("fr", "it", "en"):
        for field in ("name", "slug", "summary", "definition", "usage_note", "example", "labels"):
            assert f"{field}_{code}" in header


def test_skos_export_uses_language_tagged_skos_labels(glossary_content):
    text = get_format("skos").dump(*export_records())
    assert "skos:prefLabel" in text and "skos:altLabel" in text and "skos:hiddenLabel" in text
    assert '"Net Promoter Score"@it' in text
    assert "skos:narrower" in text and "skos:broader" in text and "skos:related" in text


def test_tbx_export_has_a_language_section_per_language(glossary_content):
    text = get_format("tbx").dump(*export_records())
    assert '<tbx type="TBX-Basic" style="dca"' in text and 'xmlns="urn:iso:std:iso:30042:ed-2"' in (
        text
    )
    entry = text.split('<conceptEntry id="term-net-promoter-score">')[1].split("</conceptEntry>")[0]
    for code in ("fr", "it", "en"):
        assert f'<langSec xml:lang="{code}">' in entry
    assert '<termNote type="termType">acronym</termNote>' in entry
    assert "preferredTerm-admn-sts" in entry and "deprecatedTerm-admn-sts" in entry


def test_public_api_serves_the_published_glossary_as_turtle(client, glossary_content):
    Term.objects.filter(key="chatbot").update(status=Term.Status.DRAFT)
    response = client.get("/api/v1/export.skos.ttl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    text = response.content.decode()
    assert "net-promoter-score" in text
    assert "term/chatbot" not in text
    assert "http://testserver/" in text  # concepts are named on this site


@pytest.mark.parametrize("fmt", FORMATS)
def test_editors_download_exports_from_the_admin(client, superuser, glossary_content, fmt):
    client.force_login(superuser)
    response = client.get(f"/admin/glossary-export/{fmt}/")
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    assert b"net-promoter-score" in response.content


def test_admin_exports_are_for_staff_only(client, db, django_user_model, glossary_content):
    assert client.get("/admin/glossary-export/csv/").status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("visitor", password="x-12345678"))
    assert client.get("/admin/glossary-export/csv/").status_code == 302
    assert client.get("/admin/glossary-export/pdf/").status_code in (302, 404)


def test_term_changelist_links_to_the_exports(client, superuser, glossary_content):
    client.force_login(superuser)
    html = client.get("/admin/glossary/term/").content.decode()
    assert 'href="/admin/glossary-export/csv/"' in html


# --- CSV injection (OWASP): formulas are neutralised, round trips stay exact --------------------


def test_a_csv_cell_that_looks_like_a_formula_is_neutralised_for_spreadsheets(
    glossary_content, tmp_path
):
    term = Term.objects.get(key="chatbot")
    term.summary_en = '=HYPERLINK("http://evil.example","x")'
    term.acronym_fr = "-100"
    term.save()
    path = export_to(tmp_path, "csv")
    with path.open(newline="") as source:
        rows = {row["key"]: row for row in csv.DictReader(source)}
    # A spreadsheet shows a cell starting with ' as text and never evaluates it.
    assert rows["chatbot"]["summary_en"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows["chatbot"]["acronym_fr"] == "'-100"
    empty_the_database()
    call_command("glossary_import", str(path))
    term = Term.objects.get(key="chatbot")
    assert term.summary_en == '=HYPERLINK("http://evil.example","x")'
    assert term.acronym_fr == "-100"


@given(st.text())
def test_defusing_a_csv_cell_is_undone_exactly_by_the_import(value):
    assert csv_format.restore(csv_format.defuse(value)) == value
    assert not csv_format.defuse(value).startswith(csv_format.FORMULA_TRIGGERS)


@pytest.mark.parametrize(
    "value", ["-100", "'-100", "''=1", "'", "\t=1", "\r+1", "@SUM(A1)", "plain", ""]
)
def test_values_that_start_like_a_formula_or_a_quote_survive_the_csv_file(value):
    term = Record("t", {"summary_en": value, "is_trademark": False}, [])
    _categories, [loaded] = csv_format.load(csv_format.dump([], [term]))
    assert loaded.values["summary_en"] == value


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_any_text_survives_a_csv_file_unchanged(texts):
    columns = ["name_fr", "summary_it", "definition_en", "acronym_fr"]
    values = dict(zip(columns, texts, strict=False))
    term = Record("t", {**values, "is_trademark": False}, [])
    _categories, [loaded] = csv_format.load(csv_format.dump([], [term]))
    assert {column: loaded.values[column] for column in values} == values

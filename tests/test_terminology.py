"""Terminology-grade entries: labels with a status and a type, sources, usage notes, examples.

On the term page, in the API, in search, in the admin and in the exchange formats; and the
migration that turned the old synonym and hidden-label lines into labels.
"""

import json

import pytest
from django.db import connection
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from glossary.interchange import export_records, get_format
from glossary.models import Term, TermLabel, TermSource
from kb.core.roles import EDITORS
from tests.admin_forms import client_for, form_data
from tests.search_fixtures import rebuild_all


@pytest.fixture
def cif(make_term):
    """A term with a label of every status, typed labels, sources, a usage note, an example."""
    term = make_term(
        "customer-information-file",
        fr={"name": "Fichier client", "slug": "fichier-client", "summary": "Le fichier.",
            "definition": "Toutes les données d'un client.",
            "usage_note": "En banque, on parle aussi de *dossier client*.",
            "example": "Le conseiller ouvre le fichier client avant l'appel.",
            "synonyms": "Dossier client", "deprecated": "Fichier d'information client",
            "hidden_labels": "fichier clien"},
        it={"name": "Anagrafe clienti", "slug": "anagrafe-clienti", "summary": "L'anagrafe.",
            "definition": "Tutti i dati del cliente.", "synonyms": "NDG",
            "deprecated": "File di informazioni sul cliente"},
        en={"name": "Customer information file", "slug": "customer-information-file",
            "summary": "The file.", "definition": "All of a customer's data.",
            "synonyms": "CIF"},
    )  # fmt: skip
    TermLabel.objects.filter(text="CIF").update(type=TermLabel.Type.ABBREVIATION)
    TermSource.objects.create(
        term=term, author="Banque de France", title="Le fichier client", year=2019,
        url="https://www.banque-france.fr/", note="pratiques en 2019", language="fr",
    )  # fmt: skip
    TermSource.objects.create(term=term, author="ISO", title="ISO 18295-1", year=2017, position=1)
    return term


# --- Term page ---------------------------------------------------------------------------------


def test_the_term_page_shows_each_status_as_it_should(client, cif):
    html = client.get("/fr/termes/fichier-client/").content.decode()
    assert "Aussi appelé" in html and "Dossier client" in html
    # A deprecated name is shown, struck, next to the preferred one.
    assert "<s>Fichier d&#x27;information client</s>" in html
    assert "Déconseillé" in html and "Fichier client" in html
    # A search-only label is never shown.
    assert "fichier clien<" not in html and "fichier clien," not in html


def test_the_term_page_shows_the_usage_note_example_and_sources(client, cif):
    html = client.get("/fr/termes/fichier-client/").content.decode()
    assert "<em>dossier client</em>" in html  # the usage note is Markdown
    assert "Le conseiller ouvre le fichier client avant l&#x27;appel." in html
    sources = html.split('id="sources-title"')[1].split("</section>")[0]
    assert (
        '<a href="https://www.banque-france.fr/" rel="nofollow noopener">'
        "<cite>Le fichier client</cite></a>" in sources
    )
    assert "ISO 18295-1" in sources and "pratiques en 2019" in sources
    # A source of another language's text is not listed; a shared one is, in every language.
    english = client.get("/en/terms/customer-information-file/").content.decode()
    assert "banque-france" not in english and "ISO 18295-1" in english


def test_a_term_without_the_new_fields_shows_no_empty_sections(client, nps_term):
    html = client.get("/fr/termes/net-promoter-score/").content.decode()
    assert 'id="sources-title"' not in html and 'id="usage-title"' not in html
    assert "Déconseillé" not in html


def test_the_a_to_z_index_lists_deprecated_names_as_not_recommended(client, cif):
    html = client.get("/it/termini/").content.decode()
    assert "File di informazioni sul cliente" in html and "sconsigliato" in html
    assert "NDG" in html


# --- Sources: only web addresses ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.com/x", "data:text/html,x", "//example.com"]
)
def test_a_source_address_must_be_http_or_https(cif, url):
    from django.core.exceptions import ValidationError

    source = TermSource(term=cif, title="Bad", url=url)
    with pytest.raises(ValidationError):
        source.full_clean()


# --- API ---------------------------------------------------------------------------------------


def test_the_api_term_detail_carries_labels_sources_usage_note_and_example(client, cif):
    data = client.get("/api/v1/terms/fichier-client/?lang=fr").json()
    assert data["labels"] == [
        {"text": "Dossier client", "status": "admitted", "type": ""},
        {"text": "Fichier d'information client", "status": "deprecated", "type": ""},
    ]
    assert data["synonyms"] == ["Dossier client"]
    assert data["usage_note"].startswith("En banque") and data["example"]
    assert [source["title"] for source in data["sources"]] == ["Le fichier client", "ISO 18295-1"]
    english = client.get("/api/v1/terms/customer-information-file/?lang=en").json()
    assert english["labels"] == [{"text": "CIF", "status": "admitted", "type": "abbreviation"}]
    assert [source["title"] for source in english["sources"]] == ["ISO 18295-1"]


def test_the_openapi_document_describes_the_new_fields(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    detail = schema["TermDetailOut"]["properties"]
    assert {"labels", "sources", "usage_note", "example"} <= set(detail)
    assert set(schema["LabelOut"]["properties"]["status"]["enum"]) == {"admitted", "deprecated"}


# --- Search ------------------------------------------------------------------------------------


@pytest.fixture
def indexed(cif, make_term, django_capture_on_commit_callbacks):
    """The index holds these two terms and nothing else: rebuilt, not added to, since on
    PostgreSQL the rolled-back terms of earlier tests leave documents under other keys."""
    from glossary.search.engine import get_engine

    make_term(
        "customer-record",
        it={"name": "Registro anagrafico", "slug": "registro-anagrafico", "summary": "Il registro.",
            "synonyms": "File di informazioni sul cliente"},
    )  # fmt: skip
    rebuild_all()
    return get_engine()


def test_search_finds_a_term_by_a_deprecated_name_and_says_so(client, indexed, cif):
    html = client.get("/it/cerca/", {"q": "file di informazioni"}).content.decode()
    assert "Anagrafe clienti" in html
    assert "(sconsigliato)</span> →" in html


def test_a_deprecated_name_ranks_below_the_same_words_as_an_admitted_name(indexed):
    result = indexed.search("file di informazioni", "it")
    assert [hit.name for hit in result.hits][:2] == ["Registro anagrafico", "Anagrafe clienti"]
    deprecated = result.hits[1]
    assert deprecated.matched_deprecated and deprecated.matched_synonym


def test_search_only_labels_find_but_are_never_shown(indexed):
    result = indexed.search("fichier clien", "fr")
    assert [hit.name for hit in result.hits] == ["Fichier client"]
    assert "fichier clien" not in {label.lower() for label in result.hits[0].synonyms}


def test_the_search_api_says_which_label_matched(client, indexed):
    data = client.get("/api/v1/search", {"q": "file di informazioni", "lang": "it"}).json()
    statuses = {r["name"]: r["matched_label_status"] for r in data["results"]}
    assert statuses == {"Registro anagrafico": "admitted", "Anagrafe clienti": "deprecated"}


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("edith", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return client_for(user)


def label_rows(data: dict, rows: list[tuple[str, str, str]]) -> dict:
    prefix = "labels"
    for index, (language, text, status) in enumerate(rows):
        data[f"{prefix}-{index}-language"] = language
        data[f"{prefix}-{index}-text"] = text
        data[f"{prefix}-{index}-status"] = status
        data[f"{prefix}-{index}-type"] = ""
        data[f"{prefix}-{index}-position"] = str(index)
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    return data


def test_editors_add_labels_per_language_with_a_status(editor_client, nps_term):
    url = f"/admin/glossary/term/{nps_term.pk}/change/"
    data = label_rows(
        form_data(editor_client.get(url)),
        [("fr", "Score de recommandation net", "deprecated"), ("it", "Indice NPS", "admitted")],
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert sorted(nps_term.labels.values_list("language", "text", "status")) == [
        ("fr", "Score de recommandation net", "deprecated"),
        ("it", "Indice NPS", "admitted"),
    ]


def test_the_same_label_twice_is_a_message_not_a_crash(editor_client, nps_term):
    url = f"/admin/glossary/term/{nps_term.pk}/change/"
    data = label_rows(
        form_data(editor_client.get(url)),
        [("fr", "Indice NPS", "admitted"), ("fr", "indice  NPS", "deprecated")],
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "This label is given twice in the same language." in response.content.decode()
    assert not nps_term.labels.exists()


def test_a_javascript_source_address_is_refused_in_the_admin(editor_client, nps_term):
    url = f"/admin/glossary/term/{nps_term.pk}/change/"
    data = form_data(editor_client.get(url))
    data.update(
        {
            "sources-TOTAL_FORMS": "1",
            "sources-0-title": "Evil",
            "sources-0-url": "javascript:alert(1)",
            "sources-0-position": "0",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert not nps_term.sources.exists()


# --- Exchange formats --------------------------------------------------------------------------


def test_skos_carries_statuses_sources_usage_notes_and_examples(cif):
    graph = Graph().parse(data=get_format("skos").dump(*export_records()), format="turtle")
    node = next(graph.subjects(DCTERMS.identifier, Literal("customer-information-file")))
    alt = set(graph.objects(node, SKOS.altLabel))
    assert Literal("Dossier client", lang="fr") in alt
    assert Literal("Fichier d'information client", lang="fr") in alt  # deprecated: alt + note
    notes = {str(note) for note in graph.objects(node, SKOS.editorialNote)}
    assert any("Fichier d'information client" in note for note in notes)
    assert Literal("fichier clien", lang="fr") in set(graph.objects(node, SKOS.hiddenLabel))
    assert Literal("En banque, on parle aussi de *dossier client*.", lang="fr") in set(
        graph.objects(node, SKOS.scopeNote)
    )
    assert Literal("Le fichier.", lang="fr") in set(graph.objects(node, DCTERMS.abstract))
    assert graph.value(node, SKOS.example) is not None
    assert URIRef("https://www.banque-france.fr/") in set(graph.objects(node, DCTERMS.source))
    assert any("ISO 18295-1" in str(note) for note in graph.objects(node, SKOS.note))


def test_tbx_writes_each_status_and_type_with_sources_and_context(cif):
    text = get_format("tbx").dump(*export_records())
    entry = text.split('<conceptEntry id="term-customer-information-file">')[1].split(
        "</conceptEntry>"
    )[0]
    assert "deprecatedTerm-admn-sts" in entry and "admittedTerm-admn-sts" in entry
    assert '<termNote type="termType">abbreviation</termNote>' in entry
    assert '<descrip type="context">Le conseiller ouvre' in entry
    assert '<admin type="source">Banque de France, Le fichier client, 2019' in entry


def test_a_version_2_backup_still_imports_its_synonyms_and_hidden_labels(db, tmp_path):
    from django.core.management import call_command

    old = {
        "format": "crm-glossary-backup", "version": 2, "categories": [], "terms": [],
    }  # fmt: skip
    document = json.loads(json.dumps(old))
    document["categories"] = [
        {"key": "crm", "position": 0,
         **{code: {"name": "CRM", "slug": f"crm-{code}", "description": ""}
            for code in ("fr", "it", "en")}}
    ]  # fmt: skip
    texts = {"name": "", "slug": "", "acronym": "", "summary": "", "definition": "",
             "synonyms": [], "hidden_labels": []}  # fmt: skip
    document["terms"] = [
        {"key": "lead", "category": "crm", "status": "published", "is_trademark": False,
         "replaced_by": "", "created_at": "2025-01-01T00:00:00+00:00",
         "updated_at": "2025-01-01T00:00:00+00:00", "first_published_at": None,
         "fr": {**texts, "name": "Piste", "slug": "piste", "synonyms": ["Lead"],
                "hidden_labels": ["pist"]},
         "it": {**texts, "translated_from": ""}, "en": {**texts, "translated_from": ""},
         "relations": []}
    ]  # fmt: skip
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("glossary_import", str(path))
    term = Term.objects.get(key="lead")
    assert list(term.labels.values_list("text", "status")) == [
        ("Lead", "admitted"),
        ("pist", "search_only"),
    ]


# --- Migration ---------------------------------------------------------------------------------

BEFORE = [("glossary", "0004_term_first_published_at")]
AFTER = [("glossary", "0006_labels_from_lines")]


@pytest.mark.skipif(
    connection.vendor not in {"sqlite", "postgresql"}, reason="SQLite and PostgreSQL only"
)
def test_the_migration_turns_every_synonym_and_hidden_label_into_a_label(migrator_factory):
    migrator = migrator_factory()
    old_apps = migrator.apply_initial_migration(BEFORE).apps
    Category = old_apps.get_model("glossary", "Category")
    OldTerm = old_apps.get_model("glossary", "Term")
    category = Category.objects.create(key="cx", name_fr="CX")
    OldTerm.objects.create(
        key="nps", name_fr="NPS", slug_fr="nps", category=category,
        synonyms_fr="Score de recommandation net\nIndice NPS\n  indice   NPS  ",
        hidden_labels_fr="net promotor score\nscore\u00a0nps",
        synonyms_it="Indice NPS", hidden_labels_en="nps score",
    )  # fmt: skip
    OldTerm.objects.create(key="empty", name_fr="Vide", slug_fr="vide", category=category)

    new_apps = migrator.apply_tested_migration(AFTER).apps
    Label = new_apps.get_model("glossary", "TermLabel")
    rows = list(
        Label.objects.order_by("term__key", "language", "position").values_list(
            "term__key", "language", "text", "status"
        )
    )
    assert rows == [
        ("nps", "en", "nps score", "search_only"),
        ("nps", "fr", "Score de recommandation net", "admitted"),
        ("nps", "fr", "Indice NPS", "admitted"),
        ("nps", "fr", "net promotor score", "search_only"),
        ("nps", "fr", "score\u00a0nps", "search_only"),  # no-break spaces are kept
        ("nps", "it", "Indice NPS", "admitted"),
    ]
    # Going back restores the lines (deprecated labels would become synonyms).
    back_apps = migrator.apply_tested_migration(BEFORE).apps
    term = back_apps.get_model("glossary", "Term").objects.get(key="nps")
    assert term.synonyms_fr == "Score de recommandation net\nIndice NPS"
    assert term.hidden_labels_fr == "net promotor score\nscore\u00a0nps"


def test_updating_from_the_files_gives_an_existing_link_the_files_type(db):
    """An upgraded site whose NPS still has its promoter as a narrower term: load_glossary
    --update makes it the related term the files now say it is."""
    from glossary.content import load
    from glossary.models import TermRelation

    load()
    nps, promoter = Term.objects.get(key="net-promoter-score"), Term.objects.get(key="promoter")
    link = TermRelation.objects.get(source=nps, target=promoter)
    assert link.type == "related"
    link.type = "narrower"  # as the glossary had it before
    link.save()
    report = load(update=True)
    assert report.relations_retyped == 1
    assert TermRelation.objects.get(source=nps, target=promoter).type == "related"
    assert TermRelation.objects.get(source=promoter, target=nps).type == "related"
    assert load(update=True).relations_retyped == 0

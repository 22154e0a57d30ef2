"""Content backup and restore: `glossary_export --format json` and `glossary_import`.

A backup carries categories, terms, relations and articles with every language, empty ones
included, and each translation's status; restoring it into an empty database and exporting
again gives the same file, byte for byte.
"""

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from glossary import translation_status
from glossary.interchange import parts
from glossary.interchange.backup import backup_fields
from glossary.models import Category, Term, TermLabel, TermRelation, TermSource
from glossary.search.engine import get_engine
from glossary.translation_status import TranslationState
from kb.articles.models import Article
from kb.core.publishing import allow_deleting_published
from tests.search_fixtures import rebuild_all


def export(tmp_path, name="backup.json", **options) -> bytes:
    path = tmp_path / name
    call_command("glossary_export", format="json", output=str(path), **options)
    return path.read_bytes()


def restore(tmp_path, content: bytes, name="restore.json", **options):
    path = tmp_path / name
    path.write_bytes(content)
    call_command("glossary_import", str(path), **options)


def empty_the_database():
    with allow_deleting_published():
        Article.objects.all().delete()
        TermRelation.objects.all().delete()
        Term.objects.update(replaced_by=None)
        Term.objects.all().delete()
        Category.objects.all().delete()


def states() -> dict[str, dict[str, str]]:
    return {term.key: term.translation_states() for term in Term.objects.all()}


@pytest.fixture
def partial_content(db):
    """Content as editors leave it: half-translated entries and outdated translations."""
    french_only = Category.objects.create(  # as the admin saves it: other languages NULL
        key="french-only", name_fr="Seulement en français", slug_fr="seulement-francais"
    )
    full = Category.objects.create(
        key="full",
        position=3,
        name_fr="Complète",
        slug_fr="complete",
        description_fr="Décrite.",
        name_it="Completa",
        slug_it="completa",
        name_en="Complete",
        slug_en="complete",
    )
    outdated = Term.objects.create(
        key="outdated",
        category=full,
        status=Term.Status.PUBLISHED,
        name_fr="Ancien",
        slug_fr="ancien",
        summary_fr="Résumé.",
        usage_note_fr="En France depuis 2015.",
        example_it="Un esempio.",
        name_it="Vecchio",
        slug_it="vecchio",
        summary_it="Riassunto.",
        name_en="Old",
        slug_en="old",
        definition_en="Defined.",
        is_trademark=True,
    )
    outdated.summary_fr = "Résumé changé: l'italien et l'anglais ne suivent plus."
    outdated.save()
    for position, (code, text, status, kind) in enumerate(
        [
            ("fr", "Vieux", "admitted", ""),
            ("fr", "Passé", "deprecated", "short_form"),
            ("fr", "vieu", "search_only", ""),
            ("en", "OLD", "admitted", "abbreviation"),
        ]
    ):
        TermLabel.objects.create(
            term=outdated, language=code, text=text, status=status, type=kind, position=position
        )
    TermSource.objects.create(
        term=outdated, author="ARCEP", title="Décision 2012-0856", year=2012,
        url="https://www.arcep.fr/", note="tarifs de 2015", language="fr",
    )  # fmt: skip
    TermSource.objects.create(term=outdated, title="Shared source", position=1)
    draft = Term.objects.create(
        key="french-draft",
        category=french_only,
        name_fr="Brouillon",
        slug_fr="brouillon",
        definition_fr='=HYPERLINK("x")',
    )
    TermLabel.objects.create(term=draft, language="fr", text="brouilon", status="search_only")
    deprecated = Term.objects.create(
        key="retired",
        category=full,
        status=Term.Status.DEPRECATED,
        replaced_by=outdated,
        name_fr="Retiré",
        slug_fr="retire",
        summary_fr="Plus utilisé.",
    )
    TermRelation.objects.create(source=outdated, target=draft, type=TermRelation.Type.NARROWER)
    TermRelation.objects.create(source=deprecated, target=outdated, type=TermRelation.Type.SEE_ALSO)
    article = Article.objects.create(
        key="french-article",
        title_fr="Article",
        slug_fr="article",
        body_fr="Corps **Markdown**.",
        status=Article.Status.PUBLISHED,
    )
    article.related_terms.set([outdated, draft])
    unpublished = Article.objects.create(
        key="draft-article",
        status=Article.Status.PUBLISHED,
        title_fr="Brouillon d'article",
        slug_fr="brouillon-article",
        summary_fr="Résumé.",
        title_en="Draft article",
        slug_en="draft-article",
        body_en="Body.",
    )
    unpublished.status = Article.Status.DRAFT  # withdrawn: a draft that was published once
    unpublished.save()
    # Timestamps from another day, so a restore that stamps "now" would show.
    Term.objects.filter(key="retired").update(
        created_at=datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    )
    Article.objects.filter(key="draft-article").update(
        updated_at=datetime(2025, 6, 7, 8, 9, 10, tzinfo=UTC)
    )


def test_a_backup_restored_into_an_empty_database_exports_the_same_file(partial_content, tmp_path):
    before_states = states()
    assert before_states["outdated"] == {"it": "outdated", "en": "outdated"}
    first = export(tmp_path)
    empty_the_database()
    restore(tmp_path, first)
    assert export(tmp_path, "again.json") == first
    assert states() == before_states
    assert Category.objects.get(key="french-only").name_fr == "Seulement en français"
    assert Term.objects.get(key="retired").created_at.year == 2024
    # Published once, so never deleted (kb/core/publishing.py), drafts included.
    assert Article.objects.get(key="draft-article").was_published
    assert not Term.objects.get(key="french-draft").was_published
    assert Article.objects.get(key="french-article").related_terms.count() == 2


def test_a_backup_carries_every_language_and_each_translation_s_status(partial_content, tmp_path):
    data = json.loads(export(tmp_path))
    assert data["format"] == "crm-glossary-backup" and data["version"] == 3
    category = next(c for c in data["categories"] if c["key"] == "french-only")
    assert category["it"] == {"name": "", "slug": "", "description": "", "translated_from": ""}
    term = next(t for t in data["terms"] if t["key"] == "outdated")
    assert term["it"]["translated_from"] != translation_status.digest(
        Term.objects.get(key="outdated")
    )
    assert {a["key"] for a in data["articles"]} == {"french-article", "draft-article"}
    assert first(data["terms"], "french-draft")["first_published_at"] is None
    assert first(data["articles"], "draft-article")["first_published_at"].startswith("20")


def test_the_real_content_round_trips_identically(glossary_content, tmp_path):
    call_command("load_articles")
    articles = Article.objects.count()
    # Translations left behind by a change to the French, as editors produce them.
    for term in Term.objects.order_by("key")[:10]:
        term.summary_fr = term.summary_fr + " (révisé)"
        term.save()
    outdated = {
        key: value for key, value in states().items() if TranslationState.OUTDATED in value.values()
    }
    assert len(outdated) == 10
    first = export(tmp_path)
    empty_the_database()
    restore(tmp_path, first)
    assert export(tmp_path, "again.json") == first
    assert {key: states()[key] for key in outdated} == outdated
    assert Article.objects.count() == articles > 0


def test_importing_its_own_backup_changes_nothing(partial_content, tmp_path, capsys):
    before = states()
    content = export(tmp_path)
    capsys.readouterr()
    restore(tmp_path, content)
    out = capsys.readouterr().out
    assert states() == before
    # Empty languages are "" in the file and NULL in the database: no change either.
    assert "categories: 0 to create, 0 to change, 2 unchanged" in out
    assert "terms: 0 to create, 0 to change, 3 unchanged" in out
    assert "articles: 0 to create, 0 to change, 2 unchanged" in out


def test_every_model_field_is_in_the_backup_or_deliberately_left_out(db):
    for model, (exported, excluded) in backup_fields().items():
        concrete = {field.name for field in model._meta.get_fields() if field.concrete}
        concrete |= {field.name for field in model._meta.many_to_many}
        assert not exported & excluded, model
        missing = concrete - exported - excluded
        assert not missing, f"{model.__name__}: add {sorted(missing)} to the backup or exclude them"


def test_articles_plug_into_the_backup_through_the_registry():
    assert "articles" in [part.name for part in parts.registered()]


def test_a_version_1_export_from_an_earlier_release_still_imports(db, tmp_path):
    old = {
        "format": "crm-glossary",
        "version": 1,
        "categories": [
            {
                "key": "crm",
                "position": 0,
                "fr": {"name": "CRM", "slug": "crm", "description": ""},
                "it": {"name": None, "slug": None, "description": None},
                "en": {"name": "CRM", "slug": "crm-en", "description": ""},
            }
        ],
        "terms": [
            {
                "key": "lead",
                "category": "crm",
                "status": "published",
                "is_trademark": False,
                "replaced_by": "",
                "fr": {"name": "Piste", "slug": "piste", "acronym": "", "summary": "Un contact.",
                       "definition": "", "synonyms": ["Prospect"], "hidden_labels": []},
                "it": {"name": "Lead", "slug": "lead-it", "summary": "Un contatto."},
                "relations": [],
            }
        ],
    }  # fmt: skip
    restore(tmp_path, json.dumps(old).encode())
    term = Term.objects.get(key="lead")
    assert term.label_texts("fr", "admitted") == ["Prospect"] and term.summary_it == "Un contatto."
    assert term.translation_states() == {"it": "complete", "en": "missing"}
    assert Category.objects.get(key="crm").name_it in ("", None)


def document(tmp_path) -> dict:
    return json.loads(export(tmp_path))


def first(entries, key):
    return next(entry for entry in entries if entry["key"] == key)


def broken_documents():
    """(name, change to a valid backup, words the message must contain)."""

    def wrong_version(d):
        d["version"] = 4

    def missing_status(d):
        del first(d["terms"], "outdated")["status"]

    def missing_language(d):
        del first(d["categories"], "full")["en"]

    def position_as_text(d):
        first(d["categories"], "full")["position"] = "3"

    def labels_not_a_list(d):
        first(d["terms"], "outdated")["fr"]["labels"] = {"a": 1}

    def duplicate_slug(d):
        first(d["terms"], "retired")["it"]["slug"] = "vecchio"

    def duplicate_key(d):
        d["articles"].append(dict(d["articles"][0]))

    def unknown_term(d):
        first(d["articles"], "french-article")["related_terms"].append("ghost")

    def bad_time(d):
        first(d["terms"], "outdated")["created_at"] = "yesterday"

    def nul_character(d):
        first(d["terms"], "outdated")["en"]["definition"] = "a\x00b"

    def unknown_section(d):
        d["videos"] = []

    return [
        ("unknown version", wrong_version, "version 4 is not one this site reads"),
        ("no status", missing_status, "“status” is missing"),
        ("no language", missing_language, "“en” is missing"),
        ("position as text", position_as_text, "“position” has the wrong type"),
        ("labels", labels_not_a_list, "labels_fr must be text"),
        ("slug", duplicate_slug, "slug_it 'vecchio' is already used by 'outdated'"),
        ("article twice", duplicate_key, "article key 'draft-article' appears twice"),
        ("unknown term", unknown_term, "unknown term 'ghost'"),
        ("time", bad_time, "created_at must be a date and time"),
        ("NUL", nul_character, "definition_en contains a character"),
        ("section", unknown_section, "cannot import “videos”"),
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [case[1:] for case in broken_documents()],
    ids=[case[0] for case in broken_documents()],
)
def test_a_bad_backup_is_refused_whole_with_a_clear_message(
    partial_content, tmp_path, change, expected
):
    before = export(tmp_path)
    data = json.loads(before)
    change(data)
    with pytest.raises(CommandError) as raised:
        restore(tmp_path, json.dumps(data, ensure_ascii=False).encode())
    assert raised.value.returncode == 2
    assert "Nothing was imported" in str(raised.value)
    assert expected in str(raised.value)
    assert export(tmp_path, "after.json") == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"format": "crm-glossary-backup", "version": 3, "terms": [{"key": "a",',
         "not valid JSON"),
        (b"[]", "expected an object"),
        (b'{"format": "crm-glossary-backup", "version": 3, "terms": []}',
         "“categories” is missing"),
        (b'{"terms": [{"key": "x", "category": "full", "fr": {"name": "\\ud800", "slug": "x"}}]}',
         "name_fr contains a character"),
    ],
    ids=["truncated", "not an object", "no categories", "lone surrogate"],
)  # fmt: skip
def test_a_truncated_or_malformed_backup_is_refused(partial_content, tmp_path, content, expected):
    before = export(tmp_path)
    with pytest.raises(CommandError, match=expected) as raised:
        restore(tmp_path, content)
    assert raised.value.returncode == 2
    assert export(tmp_path, "after.json") == before


# --- Into a database that has content: merge by default, --replace to restore ------------------


def test_importing_a_backup_over_content_changes_the_file_s_entries_and_deletes_nothing(
    partial_content, tmp_path, capsys
):
    content = export(tmp_path)
    outdated = Term.objects.get(key="outdated")
    outdated.name_it = "Vecchissimo"  # the Italian is now up to date...
    outdated.save()
    assert outdated.translation_states()["it"] == "complete"
    Article.objects.create(key="new-article", title_fr="Nouveau", slug_fr="nouveau", body_fr="x")
    capsys.readouterr()
    restore(tmp_path, content)
    out = capsys.readouterr().out
    assert "~ term outdated" in out and "name_it: 'Vecchissimo' -> 'Vecchio'" in out
    # ...and the backup's outdated Italian comes back with it, while the new article stays.
    assert Term.objects.get(key="outdated").translation_states()["it"] == "outdated"
    assert Article.objects.filter(key="new-article").exists()
    assert "articles: 0 to create, 0 to change, 2 unchanged" in out


def test_replace_makes_the_content_exactly_the_backup(partial_content, tmp_path, capsys):
    content = export(tmp_path)
    Term.objects.filter(key="french-draft").update(name_fr="Changé")
    category = Category.objects.create(key="extra", name_fr="En plus", slug_fr="en-plus")
    Term.objects.create(key="extra-term", category=category, name_fr="Extra", slug_fr="ancien-2")
    link = TermRelation.objects.get(source__key="outdated", target__key="french-draft")
    link.type = TermRelation.Type.RELATED  # was narrower in the backup
    link.save()
    TermRelation.objects.create(  # a link between two terms of the backup, not in it
        source=Term.objects.get(key="retired"), target=Term.objects.get(key="french-draft")
    )
    Article.objects.create(
        key="extra-article", title_fr="En plus", slug_fr="article-2", body_fr="x"
    )
    # A slug the backup gives to another entry is freed by the deletion first.
    Category.objects.filter(key="full").update(slug_fr="complete-2")
    Category.objects.filter(key="extra").update(slug_fr="complete")

    restore(tmp_path, content, replace=True, dry_run=True)
    out = capsys.readouterr().out
    assert "- term extra-term" in out and "- article extra-article" in out
    assert "- category extra" in out and "- relation french-draft related retired" in out
    assert "~ relation french-draft broader outdated" in out and "1 to delete" in out
    assert Term.objects.filter(key="extra-term").exists()  # a dry run writes nothing

    restore(tmp_path, content, replace=True)
    assert export(tmp_path, "after.json") == content
    assert not Category.objects.filter(key="extra").exists()


def test_replace_never_deletes_what_was_published(partial_content, tmp_path):
    content = export(tmp_path)
    category = Category.objects.get(key="full")
    Term.objects.create(
        key="published-since", category=category, status="published", name_fr="N", slug_fr="n"
    )
    Term.objects.create(key="draft-since", category=category, name_fr="D", slug_fr="d")
    with pytest.raises(CommandError, match="'published-since' is not in the backup but was"):
        restore(tmp_path, content, replace=True)
    Term.objects.filter(key="published-since").update(status="draft", first_published_at=None)
    restore(tmp_path, content, replace=True)  # drafts that were never published may go
    assert not Term.objects.filter(key__in=["published-since", "draft-since"]).exists()


def test_replace_needs_a_complete_backup(glossary_content, tmp_path):
    path = tmp_path / "glossary.csv"
    call_command("glossary_export", format="csv", output=str(path))
    with pytest.raises(CommandError, match="--replace needs a complete backup") as raised:
        call_command("glossary_import", str(path), replace=True)
    assert raised.value.returncode == 2


@pytest.fixture
def index_rebuilt_after(django_db_blocker):
    """Set up before the database, torn down after its rollback: the session's search index
    then reflects the database the other tests see."""
    yield
    with django_db_blocker.unblock():
        rebuild_all()


def test_the_search_index_follows_a_restore(
    index_rebuilt_after, transactional_db, partial_content, tmp_path
):
    # Real commits: the index is written once the import's transaction has committed.
    rebuild_all()
    assert get_engine().search("ancien", "fr").count == 1
    content = export(tmp_path)
    empty_the_database()
    assert get_engine().search("ancien", "fr").count == 0
    restore(tmp_path, content)
    assert get_engine().search("ancien", "fr").count == 1
    assert get_engine().search("vecchio", "it").count == 1
    assert all(get_engine().check(code).ok for code in ("fr", "it", "en"))


# --- Fuzzing: a mangled backup is refused whole, or imported whole ----------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "outdated", "full", "published", "vecchio", "x" * 400, "a\x00"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)


def paths(node, path=()):
    """Every place in a JSON document, as a tuple of keys and indexes."""
    yield path
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in items:
        yield from paths(child, (*path, key))


def mangle(data: dict, draw) -> str:
    places = list(paths(data))[1:]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places))
        parent = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            action = draw(st.sampled_from(["delete", "replace", "duplicate"]))
            if action == "delete":
                del parent[path[-1]]
            elif action == "replace":
                parent[path[-1]] = draw(JSON_VALUES)
            elif isinstance(parent, list):
                parent.append(json.loads(json.dumps(parent[path[-1]])))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mangled_backup_is_refused_with_a_message_or_imported_whole(
    partial_content, tmp_path, data
):
    original = export(tmp_path)
    text = mangle(json.loads(original), data.draw)
    replace = data.draw(st.booleans())
    path = tmp_path / "mangled.json"
    path.write_text(text, encoding="utf-8")
    with transaction.atomic():
        try:
            call_command("glossary_import", str(path), replace=replace)
        except CommandError as error:
            event("refused")
            assert error.returncode == 2
            assert "Nothing was imported" in str(error) or "--replace needs" in str(error)
            assert export(tmp_path, "after.json") == original  # not half written
        else:
            # Imported whole: the same file again finds nothing left to write.
            out = StringIO()
            call_command("glossary_import", str(path), replace=replace, dry_run=True, stdout=out)
            changes = out.getvalue().splitlines()
            assert not [line for line in changes if line.startswith(("+ ", "~ ", "- "))]
            event("imported")
        transaction.set_rollback(True)


def test_the_admin_json_download_is_the_same_complete_backup(
    client, superuser, partial_content, tmp_path
):
    client.force_login(superuser)
    response = client.get("/admin/glossary-export/json/")
    assert response.status_code == 200
    assert response.content == export(tmp_path)

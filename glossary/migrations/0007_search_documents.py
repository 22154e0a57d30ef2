"""The PostgreSQL search engine's tables, extensions and text-search configurations.

On PostgreSQL: the extensions unaccent (accent folding inside the configurations) and pg_trgm
("did you mean"), one configuration per language that folds accents before stemming
(kb_fr, kb_it, kb_en: copies of french, italian, english) and kb_simple (folded, not
stemmed: acronyms), then the tables. On SQLite nothing is created: the models exist in the
migration state only, and the Whoosh engine never reads them.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

CONFIGURATIONS = {"kb_fr": "french", "kb_it": "italian", "kb_en": "english", "kb_simple": "simple"}
MODELS = ("SearchDocument", "SearchLabel")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, parser in CONFIGURATIONS.items():
        dictionary = "simple" if parser == "simple" else f"{parser}_stem"
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {parser})")
        # Words with letters outside ASCII are folded first ("numéros" -> "numeros"), then
        # stemmed, so accented and plain spellings meet; ASCII words need no folding.
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary}"
        )
    for model in MODELS:
        schema_editor.create_model(apps.get_model("glossary", model))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model in reversed(MODELS):
        schema_editor.delete_model(apps.get_model("glossary", model))
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    # The extensions stay: other objects of the database may use them.


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0006_labels_from_lines"),
    ]

    operations = [
        # The models, in the state only: their tables are created by `create`, on PostgreSQL.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("model_label", models.CharField(max_length=60, verbose_name="model")),
                        ("object_id", models.BigIntegerField(verbose_name="object id")),
                        ("language", models.CharField(max_length=5, verbose_name="language")),
                        ("kind", models.CharField(max_length=20, verbose_name="kind")),
                        ("name", models.TextField(blank=True, verbose_name="name")),
                        ("acronym", models.TextField(blank=True, verbose_name="acronym")),
                        ("synonyms", models.TextField(blank=True, verbose_name="synonyms")),
                        (
                            "deprecated",
                            models.TextField(blank=True, verbose_name="deprecated labels"),
                        ),
                        ("summary", models.TextField(blank=True, verbose_name="summary")),
                        ("slug", models.TextField(blank=True, verbose_name="slug")),
                        ("url", models.TextField(blank=True, verbose_name="URL")),
                        ("urls", models.TextField(blank=True, verbose_name="URLs")),
                        (
                            "fingerprint",
                            models.CharField(blank=True, max_length=32, verbose_name="fingerprint"),
                        ),
                        ("weight_a", models.TextField(blank=True, verbose_name="weight A text")),
                        ("weight_b", models.TextField(blank=True, verbose_name="weight B text")),
                        ("weight_c", models.TextField(blank=True, verbose_name="weight C text")),
                        ("weight_d", models.TextField(blank=True, verbose_name="weight D text")),
                        (
                            "vector",
                            django.contrib.postgres.search.SearchVectorField(
                                null=True, verbose_name="search vector"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "search document",
                        "verbose_name_plural": "search documents",
                        "indexes": [
                            django.contrib.postgres.indexes.GinIndex(
                                fields=["vector"], name="search_document_vector", fastupdate=False
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("language", "model_label", "object_id"),
                                name="search_document_unique",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SearchLabel",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("language", models.CharField(max_length=5, verbose_name="language")),
                        ("word", models.TextField(verbose_name="word")),
                        ("preference", models.PositiveSmallIntegerField(verbose_name="preference")),
                        ("label", models.TextField(verbose_name="label")),
                        ("words", models.TextField(verbose_name="label words")),
                        ("first", models.BooleanField(verbose_name="first word")),
                        (
                            "document",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="label_words",
                                to="glossary.searchdocument",
                                verbose_name="document",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "search label word",
                        "verbose_name_plural": "search label words",
                        "indexes": [
                            models.Index(
                                fields=["language", "word"],
                                name="search_label_prefix",
                                opclasses=["text_ops", "text_pattern_ops"],
                            ),
                            django.contrib.postgres.indexes.GinIndex(
                                fields=["word"],
                                name="search_label_trigram",
                                fastupdate=False,
                                opclasses=["gin_trgm_ops"],
                            ),
                        ],
                    },
                ),
            ],
        ),
        # After the state: RunPython sees the models it creates on PostgreSQL.
        migrations.RunPython(create, drop),
    ]

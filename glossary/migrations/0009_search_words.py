""""Did you mean" on PostgreSQL reads each language's distinct label words (SearchWord) with
fuzzystrmatch's levenshtein_less_equal, instead of a trigram search of every label word.

Measured at 100,000 terms per language (565,000 label words, 152,000 distinct, in Italian): a
trigram query (`word % 'velachemento'`) took up to 270 ms, and a search that found nothing up
to 1.2 s; the new table answers in 0.02 to 1.5 ms. The trigram index on the label words is
dropped: nothing reads it any more, and every write paid for it.

On PostgreSQL: the extension fuzzystrmatch, the table filled from the label words already
written (every word is kept), the trigram index dropped; on SQLite nothing (as 0007).
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

TRIGRAM = django.contrib.postgres.indexes.GinIndex(
    fields=["word"], name="search_label_trigram", fastupdate=False, opclasses=["gin_trgm_ops"]
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    schema_editor.create_model(apps.get_model("glossary", "SearchWord"))
    schema_editor.execute(
        "INSERT INTO glossary_searchword (language, word) "
        "SELECT DISTINCT language, word FROM glossary_searchlabel"
    )
    schema_editor.remove_index(apps.get_model("glossary", "SearchLabel"), TRIGRAM)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("glossary", "SearchLabel"), TRIGRAM)
    schema_editor.delete_model(apps.get_model("glossary", "SearchWord"))
    # The extension stays: other objects of the database may use it.


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0008_category_translation_status"),
    ]

    operations = [
        # In the state only: the table and the index change on PostgreSQL, in `create`.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchWord",
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
                    ],
                    options={
                        "verbose_name": "search word",
                        "verbose_name_plural": "search words",
                        "indexes": [
                            models.Index(
                                models.F("language"),
                                django.db.models.functions.text.Left("word", 1),
                                django.db.models.functions.text.Length("word"),
                                models.F("word"),
                                name="search_word_close",
                            )
                        ],
                    },
                ),
                migrations.RemoveIndex(model_name="searchlabel", name="search_label_trigram"),
            ],
        ),
        migrations.RunPython(create, drop),
    ]

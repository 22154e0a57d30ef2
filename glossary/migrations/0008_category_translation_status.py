"""Categories get the translation status of terms and articles (issue 14): complete,
missing or outdated.

Filled here for existing rows: the digest of the current French name and description, and for
every other language that has its text (a name) the same digest, so nothing shows as outdated
after the upgrade; languages without a name are missing. The rule is written out here rather
than read from kb/core/translation_status.py, which may change while a migration must not.
"""

import hashlib

from django.db import migrations, models

FIELDS = ("name", "description")
TARGETS = ("it", "en")


def texts(row, language: str) -> tuple[str, ...]:
    return tuple((getattr(row, f"{name}_{language}") or "").strip() for name in FIELDS)


def fill_translation_status(apps, schema_editor):
    db = schema_editor.connection.alias
    Model = apps.get_model("glossary", "Category")
    rows = list(Model.objects.using(db).all())
    for row in rows:
        row.source_digest = hashlib.sha256("\x1f".join(texts(row, "fr")).encode()).hexdigest()
        for code in TARGETS:
            name, _description = texts(row, code)
            setattr(row, f"translated_from_{code}", row.source_digest if name else "")
    columns = ["source_digest", *(f"translated_from_{code}" for code in TARGETS)]
    # bulk_update: no save(), so neither versions nor histories move.
    Model.objects.using(db).bulk_update(rows, columns, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0007_search_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="source_digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="source text digest"
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="translated_from_en",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="English translated from"
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="translated_from_it",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="Italian translated from"
            ),
        ),
        migrations.AddField(
            model_name="historicalcategory",
            name="source_digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="source text digest"
            ),
        ),
        migrations.AddField(
            model_name="historicalcategory",
            name="translated_from_en",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="English translated from"
            ),
        ),
        migrations.AddField(
            model_name="historicalcategory",
            name="translated_from_it",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="Italian translated from"
            ),
        ),
        migrations.RunPython(fill_translation_status, migrations.RunPython.noop),
    ]

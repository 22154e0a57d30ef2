"""Today's one-per-line synonym and hidden-label columns become labels, then go.

A migration of its own, apart from 0005's new columns and tables: on PostgreSQL a data
migration leaves deferred foreign-key checks pending until its transaction ends, and an ALTER
TABLE of the same table in that transaction is refused ("pending trigger events"). Going back
hit it: the reverse rewrote the terms' lines, then dropped 0005's columns of the same table.
"""

import re

from django.conf import settings
from django.db import migrations

# Today's one-per-line columns become labels: synonyms are admitted, hidden labels search-only.
# Nothing is dropped but repeats: the same label twice in one language (in any case) is one
# label, as the new unique rule requires; the first status given wins (shown over hidden).
COLUMNS = {"synonyms": "admitted", "hidden_labels": "search_only"}


def labels_from_lines(apps, schema_editor):
    Term = apps.get_model("glossary", "Term")
    TermLabel = apps.get_model("glossary", "TermLabel")
    languages = [code for code, _name in settings.LANGUAGES]
    rows = []
    for term in Term.objects.order_by("pk"):
        for code in languages:
            seen = set()
            for column, status in COLUMNS.items():
                for line in (getattr(term, f"{column}_{code}") or "").splitlines():
                    # Ordinary spaces only: no-break spaces are French typography.
                    text = re.sub(r"[ \t\r]+", " ", line).strip(" ")
                    if not text or text.casefold() in seen:
                        continue
                    seen.add(text.casefold())
                    rows.append(
                        TermLabel(
                            term_id=term.pk,
                            language=code,
                            text=text[:200],
                            status=status,
                            position=len(seen),
                        )
                    )
    TermLabel.objects.bulk_create(rows, batch_size=500)


def lines_from_labels(apps, schema_editor):
    """Going back: deprecated labels become synonyms again (the old schema had no status)."""
    Term = apps.get_model("glossary", "Term")
    TermLabel = apps.get_model("glossary", "TermLabel")
    columns = {}
    for label in TermLabel.objects.order_by("term_id", "language", "position", "pk"):
        column = "hidden_labels" if label.status == "search_only" else "synonyms"
        columns.setdefault((label.term_id, f"{column}_{label.language}"), []).append(label.text)
    for (term_id, column), texts in columns.items():
        Term.objects.filter(pk=term_id).update(**{column: "\n".join(texts)})


class Migration(migrations.Migration):
    dependencies = [("glossary", "0005_labels_sources_usage_notes")]

    operations = [
        migrations.RunPython(labels_from_lines, lines_from_labels),
        migrations.RemoveField(
            model_name="historicalterm",
            name="hidden_labels",
        ),
        migrations.RemoveField(
            model_name="historicalterm",
            name="hidden_labels_en",
        ),
        migrations.RemoveField(
            model_name="historicalterm",
            name="hidden_labels_fr",
        ),
        migrations.RemoveField(
            model_name="historicalterm",
            name="hidden_labels_it",
        ),
        migrations.RemoveField(
            model_name="historicalterm",
            name="synonyms",
        ),
        migrations.RemoveField(
            model_name="historicalterm",
            name="synonyms_en",
        ),
        migrations.RemoveField(
            model_name="historicalterm",
            name="synonyms_fr",
        ),
        migrations.RemoveField(
            model_name="historicalterm",
            name="synonyms_it",
        ),
        migrations.RemoveField(
            model_name="term",
            name="hidden_labels",
        ),
        migrations.RemoveField(
            model_name="term",
            name="hidden_labels_en",
        ),
        migrations.RemoveField(
            model_name="term",
            name="hidden_labels_fr",
        ),
        migrations.RemoveField(
            model_name="term",
            name="hidden_labels_it",
        ),
        migrations.RemoveField(
            model_name="term",
            name="synonyms",
        ),
        migrations.RemoveField(
            model_name="term",
            name="synonyms_en",
        ),
        migrations.RemoveField(
            model_name="term",
            name="synonyms_fr",
        ),
        migrations.RemoveField(
            model_name="term",
            name="synonyms_it",
        ),
    ]

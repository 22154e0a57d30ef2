"""Terms remember when they were first published: a term ever published is never deleted.

Filled here for existing rows: the date of the first version their history records in a public
status, else, for a row public now but without such a version, its creation date. Rows never
published keep no date. The value is written out here rather than read from live code, which
may change while a migration must not.
"""

from django.db import migrations, models
from django.db.models import Min

PUBLIC_STATUSES = ("published", "deprecated")


def fill_first_published_at(apps, schema_editor):
    db = schema_editor.connection.alias
    Model = apps.get_model("glossary", "Term")
    History = apps.get_model("glossary", "HistoricalTerm")
    first_public = dict(
        History.objects.using(db)
        .filter(status__in=PUBLIC_STATUSES)
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    rows = []
    for row in Model.objects.using(db).only("pk", "status", "created_at"):
        date = first_public.get(row.pk)
        if date is None and row.status in PUBLIC_STATUSES:
            date = row.created_at
        if date is not None:
            row.first_published_at = date
            rows.append(row)
    Model.objects.using(db).bulk_update(rows, ["first_published_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0003_roles_and_baseline"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalterm",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When it was first published; published content is never deleted.",
                null=True,
                verbose_name="first published",
            ),
        ),
        migrations.AddField(
            model_name="term",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When it was first published; published content is never deleted.",
                null=True,
                verbose_name="first published",
            ),
        ),
        migrations.RunPython(fill_first_published_at, migrations.RunPython.noop),
    ]

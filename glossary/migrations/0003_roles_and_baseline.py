"""Editorial roles (glossary/roles.py), and a starting point for translation status and history.

Rows that existed before 0002 get their source digest, their existing translations are taken as
up to date, and each row gets a first history record, so the first edit can be undone.
"""

from django.db import migrations
from django.utils import timezone

TRANSLATED_LANGUAGES = ("it", "en")


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from glossary.roles import ensure_roles

    using = schema_editor.connection.alias
    # Permissions are normally created after all migrations (post_migrate): create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps, using=using)
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_config.models_module = None
    ensure_roles(apps, using=using)


def baseline(apps, schema_editor):
    from glossary import translation_status

    using = schema_editor.connection.alias
    Term = apps.get_model("glossary", "Term")
    for term in Term.objects.using(using).all():
        term.source_digest = translation_status.digest(term)
        for code in TRANSLATED_LANGUAGES:
            if translation_status.has_text(term, code):
                setattr(term, f"translated_from_{code}", term.source_digest)
        term.save(update_fields=["source_digest", *(f"translated_from_{c}" for c in TRANSLATED_LANGUAGES)])

    now = timezone.now()
    for name in ("Category", "Term", "TermRelation"):
        model = apps.get_model("glossary", name)
        historical = apps.get_model("glossary", f"Historical{name}")
        fields = [field.attname for field in model._meta.concrete_fields]
        historical.objects.using(using).bulk_create(
            historical(
                **{attname: getattr(row, attname) for attname in fields},
                history_date=now,
                history_type="+",
                history_change_reason="baseline",
            )
            for row in model.objects.using(using).all()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("glossary", "0002_history_versions_deprecation_translation_status"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(baseline, migrations.RunPython.noop),
    ]

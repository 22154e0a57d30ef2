"""Editorial roles, and a starting point for translation status and history.

Rows that existed before 0002 get their source digest, their existing translations are taken as
up to date, and each row gets a first history record, so the first edit can be undone.

Everything this migration needs is written out here, as it was when it was written: live code
(kb/core/roles.py, glossary/translation_status.py) may change, and a migration must not. The
roles are applied again, from live code, after every migrate (kb.core's post_migrate receiver).
"""

import hashlib

from django.db import migrations
from django.utils import timezone

SOURCE_LANGUAGE = "fr"
TRANSLATED_LANGUAGES = ("it", "en")
SOURCE_FIELDS = ("name", "summary", "definition")
ROLES = {
    "Editors": {
        "term": ("add", "change", "view", "delete"),
        "category": ("add", "change", "view"),
        "termrelation": ("add", "change", "view", "delete"),
    },
    "Staff": {
        "term": ("view",),
        "category": ("view",),
        "termrelation": ("view",),
    },
}


def texts(term, language):
    return tuple((getattr(term, f"{field}_{language}") or "").strip() for field in SOURCE_FIELDS)


def digest(term):
    payload = "\x1f".join(texts(term, SOURCE_LANGUAGE))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def has_text(term, language):
    name, summary, definition = texts(term, language)
    return bool(name and (summary or definition))


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    using = schema_editor.connection.alias
    # Permissions are normally created after all migrations (post_migrate): create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps, using=using)
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in ROLES.items():
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        permissions = Permission.objects.using(using).filter(
            content_type__app_label="glossary", codename__in=codenames
        )
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(permissions)


def baseline(apps, schema_editor):
    using = schema_editor.connection.alias
    Term = apps.get_model("glossary", "Term")
    for term in Term.objects.using(using).all():
        term.source_digest = digest(term)
        for code in TRANSLATED_LANGUAGES:
            if has_text(term, code):
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

"""The two editorial roles, as Django groups with exactly the permissions they need.

- **Editors** add, change and view terms, categories, relations and knowledge-base articles.
  They hold the "delete" permission of terms and articles only because the admin lets them delete
  *drafts*: published terms are deprecated instead (glossary.admin.TermAdmin refuses the rest,
  even to a hand-made POST). They may delete relations, which have no published state; every
  removal stays in the history. No access to users, groups or permissions.
- **Staff** is read-only: view permissions, so the admin's lists, search and filters work and
  drafts are visible, but nothing can be added, changed or deleted.

The roles are defined here, in code: `ensure_roles()` makes each group's permissions exactly
this list (a permission added to a group by hand is removed on the next migrate). It runs in
migration glossary 0003 and again after every `migrate` (post_migrate, see apps.py), so models
added later, such as kb.Article, get their permissions without a new migration.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

EDITORS = "Editors"
STAFF = "Staff"

# model label -> actions; a model that is not installed yet is skipped.
EDITABLE_MODELS = ("glossary.term", "glossary.category", "glossary.termrelation", "kb.article")
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    EDITORS: {
        "glossary.term": ("add", "change", "view", "delete"),  # delete: drafts only (admin)
        "glossary.category": ("add", "change", "view"),
        "glossary.termrelation": ("add", "change", "view", "delete"),
        "kb.article": ("add", "change", "view", "delete"),  # delete: drafts only (kb admin)
    },
    STAFF: {label: ("view",) for label in EDITABLE_MODELS},
}

# The apps whose post_migrate signal re-applies the roles (their permissions exist by then).
ROLE_APPS = frozenset(label.split(".")[0] for label in EDITABLE_MODELS)


def role_permissions(role: str, apps=global_apps) -> list[tuple[str, str]]:
    """[(app_label, codename)] of one role, for the models installed in `apps`."""
    wanted = []
    for label, actions in ROLES[role].items():
        app_label, model_name = label.split(".")
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        wanted += [(app_label, f"{action}_{model_name}") for action in actions]
    return wanted


def ensure_roles(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the groups if needed and give each exactly its role's permissions.

    `apps` is a migration's app registry or the global one. Permissions that do not exist yet
    (their model was never migrated) are skipped; a later call adds them.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        wanted = role_permissions(role, apps)
        permissions = [
            permission
            for permission in Permission.objects.using(using)
            .filter(codename__in={codename for _app, codename in wanted})
            .select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(permissions)


def on_post_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate receiver: re-apply the roles once the covered apps' permissions exist."""
    if sender.label in ROLE_APPS:
        ensure_roles(apps, using=using)

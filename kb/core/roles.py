"""The two editorial roles, as Django groups with exactly the permissions they need.

- **Editors** add, change and view the content of every app that registers it here. Where an
  app grants "delete" on a model with a published state (terms, articles), its admin lets
  editors delete *drafts* only (kb.core.admin.DraftsOnlyDeleteMixin). No access to users,
  groups or permissions.
- **Staff** is read-only: view permissions, so the admin's lists, search and filters work and
  drafts are visible, but nothing can be added, changed or deleted.

Each app declares its own models in its AppConfig.ready() with `register()`. `ensure_roles()`
makes each group's permissions exactly the declared list (a permission added to a group by hand
is removed on the next migrate); it runs after every `migrate` (post_migrate, see apps.py).
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

EDITORS = "Editors"
STAFF = "Staff"

# model label ("glossary.term") -> the actions editors may take; staff may view them all.
_editable: dict[str, tuple[str, ...]] = {}


def register(model_label: str, editor_actions: tuple[str, ...]) -> None:
    """Declare a model editors may work on, with their actions ("add", "change", "view"...)."""
    _editable[model_label] = editor_actions


def roles() -> dict[str, dict[str, tuple[str, ...]]]:
    """Role name -> model label -> actions, for every registered model."""
    return {
        EDITORS: dict(_editable),
        STAFF: {label: ("view",) for label in _editable},
    }


def role_permissions(role: str, apps=global_apps) -> list[tuple[str, str]]:
    """[(app_label, codename)] of one role, for the models installed in `apps`."""
    wanted = []
    for label, actions in roles()[role].items():
        app_label, model_name = label.split(".")
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        wanted += [(app_label, f"{action}_{model_name}") for action in actions]
    return wanted


def ensure_roles(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the groups if needed and give each exactly its role's permissions.

    Permissions that do not exist yet (their model was never migrated) are skipped; a later
    call adds them.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in roles():
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
    """post_migrate receiver: re-apply the roles once a registering app's permissions exist."""
    if any(label.split(".")[0] == sender.label for label in _editable):
        ensure_roles(apps, using=using)

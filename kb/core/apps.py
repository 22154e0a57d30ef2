from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared parts with no models: template tags, editorial roles, admin mixins."""

    name = "kb.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kb.core import roles

        # Models migrated later than their role definitions get their permissions here.
        post_migrate.connect(roles.on_post_migrate, dispatch_uid="kb.core.roles")

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared parts with no models: template tags, editorial roles, admin mixins, the content
    generation and the page cache, deploy checks."""

    name = "kb.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_delete

        from kb.core import checks, generation, publishing, roles  # noqa: F401 - checks register

        # Models migrated later than their role definitions get their permissions here.
        post_migrate.connect(roles.on_post_migrate, dispatch_uid="kb.core.roles")
        # Saves and deletes of the content apps declare move the content generation.
        generation.connect()
        # Published content is never deleted, however the deletion is asked for (publishing.py).
        for model in publishing.protected_models(self.apps.get_models()):
            pre_delete.connect(
                publishing.refuse_deleting_published,
                sender=model,
                dispatch_uid=f"kb.core.publishing.{model._meta.label_lower}",
            )

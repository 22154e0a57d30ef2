from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = _("Glossary")

    def ready(self) -> None:
        from glossary import roles

        # Models migrated after glossary 0003 (kb.Article...) get their role permissions here.
        post_migrate.connect(roles.on_post_migrate, dispatch_uid="glossary.roles")

"""Versioned models: no editor's save can silently overwrite another's (no lost updates)."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """save() refused: someone saved the same row since this instance was read.

    `current_version` is the version now in the database; nothing was written.
    """

    def __init__(self, instance: models.Model, current_version: int) -> None:
        self.instance = instance
        self.expected_version = instance.version
        self.current_version = current_version
        super().__init__(
            f"{type(instance).__name__} {instance.pk} is at version {current_version}, "
            f"not {instance.version}: it changed since it was read."
        )


class VersionedModel(models.Model):
    """Optimistic concurrency: every save of an existing row claims its version in the database.

    save() runs `UPDATE ... SET version = v + 1 WHERE pk = ... AND version = v` before writing
    the row, in one transaction: if another save came first, no row matches and ConflictError is
    raised, so a stale copy can never overwrite newer text. Editors' forms carry the version they
    were opened at (kb.core.admin.VersionedAdminForm).
    """

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Increases with every save; guards against lost updates."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        manager = type(self)._base_manager.using(kwargs.get("using") or self._state.db)
        expected = self.version
        with transaction.atomic(using=manager.db):
            claimed = manager.filter(pk=self.pk, version=expected).update(version=expected + 1)
            if not claimed:
                current = manager.filter(pk=self.pk).values_list("version", flat=True).first()
                if current is not None:
                    raise ConflictError(self, current)
                # No such row yet (an explicit primary key): an ordinary insert.
                return super().save(*args, **kwargs)
            self.version = expected + 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                self.version = expected
                raise

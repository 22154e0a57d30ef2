"""Content that was ever published is never deleted, whoever asks and however.

Readers, links and search engines may still point at anything that was once public, so a
term is deprecated and an article unpublished instead (their addresses then answer 410 or
redirect). A model opts in by inheriting `PublishedOnceModel` and naming its public statuses:

- `first_published_at` is set by `save()` the first time the status becomes public and never
  cleared afterwards (history restores keep it: see kb/core/history.py), so "was it ever
  published?" is one column to read, and survives the pruning of history;
- kb.core's AppConfig.ready() connects `refuse_deleting_published` to every such model's
  `pre_delete`: the admin, a shell, a queryset `.delete()` or a cascade all pass through it, and
  a refused deletion raises `PublishedDeletionError` (a `ProtectedError`) with nothing deleted;
- `allow_deleting_published()` lifts the rule for a deliberate purge (a test's clean-up, a
  superuser emptying a database on purpose), in the current thread or task only.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Exists, OuterRef, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_purge_allowed: ContextVar[bool] = ContextVar("deleting_published_allowed", default=False)


class PublishedDeletionError(ProtectedError):
    """A deletion refused because some of the objects were published; nothing was deleted."""

    def __init__(self, objects: Iterable[models.Model]) -> None:
        objects = list(objects)
        names = ", ".join(f"“{obj}”" for obj in objects)
        super().__init__(
            gettext("%(objects)s was published: published content is never deleted.")
            % {"objects": names},
            objects,
        )


class PublishedOnceModel(models.Model):
    """A model with a `status`; the statuses in `PUBLIC_STATUSES` are the published ones."""

    PUBLIC_STATUSES: tuple[str, ...] = ()

    first_published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When it was first published; published content is never deleted."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.first_published_at is None and self.status in self.PUBLIC_STATUSES:
            self.first_published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_published_at"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Refused here already, before the deletion's transaction starts, so a caller's
        # transaction stays usable; refuse_deleting_published covers querysets and cascades.
        if self.was_published and not _purge_allowed.get():
            raise PublishedDeletionError([self])
        return super().delete(*args, **kwargs)

    @property
    def was_published(self) -> bool:
        """True if this was ever public: it may then be withdrawn, never deleted."""
        return self.first_published_at is not None or self.status in self.PUBLIC_STATUSES


def first_published_in_history(model: type[PublishedOnceModel], pk) -> datetime | None:
    """When the object `pk` was first public according to its history (None if never)."""
    record = (
        model.history.filter(id=pk, status__in=model.PUBLIC_STATUSES)
        .order_by("history_date", "history_id")
        .first()
    )
    return record.history_date if record else None


def deleted_published(model: type[PublishedOnceModel], slug: str, codes: list[str]):
    """The object, rebuilt from its history, that was public with `slug` and no longer exists.

    `codes` are the languages whose slugs may match, in order of preference (the reader's
    language first): a slug of the reader's language wins over the same slug in another. None if
    there is none. One query.
    """
    records = list(
        model.history.filter(
            reduce(or_, (Q(**{f"slug_{code}": slug}) for code in codes)),
            ~Exists(model.objects.filter(pk=OuterRef("id"))),
            status__in=model.PUBLIC_STATUSES,
        ).order_by("-history_date", "-history_id")[:50]
    )
    for code in codes:
        for record in records:
            if getattr(record, f"slug_{code}") == slug:
                return record.instance
    return None


@contextmanager
def allow_deleting_published() -> Iterator[None]:
    """Let published objects be deleted inside the block (this thread or task only).

    For deliberate purges only: a test emptying its database, a superuser removing content on
    purpose from a shell. Editors never get here: the admin refuses before deleting anything.
    """
    token = _purge_allowed.set(True)
    try:
        yield
    finally:
        _purge_allowed.reset(token)


def refuse_deleting_published(sender, instance: PublishedOnceModel, **kwargs) -> None:
    """pre_delete receiver: raise PublishedDeletionError for an object that was ever published.

    Sent inside the deletion's transaction before any row is deleted, so nothing is lost (the
    caller's own transaction, if any, must then be rolled back, as after any database error).
    """
    if instance.was_published and not _purge_allowed.get():
        raise PublishedDeletionError([instance])


def protected_models(models_iterable: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The concrete models among `models_iterable` whose published rows must never be deleted."""
    return [
        model
        for model in models_iterable
        if issubclass(model, PublishedOnceModel) and not model._meta.abstract
    ]

"""The content generation: one value in the shared cache that every change to content moves.

Caches of things derived from content (rendered pages, the auto-linker's patterns, rendered
definitions) put the generation in their keys, so a change makes them all unreachable at once,
in every process and on every machine that shares the cache (settings.CACHES, CACHE_URL): no
time-to-live to guess, and nothing to delete one by one (old entries expire or are culled).

Apps declare which of their models are content with `track("app_label.model")` in their
AppConfig.ready(), as they declare editable models with kb.core.roles.register. Any save or
delete of a tracked model, or a change to one of its many-to-many fields, moves the generation
at once and again after the commit: a page rendered between the two from the old rows would
otherwise be cached under the new generation. Writes that send no signals (QuerySet.update,
bulk_create) move it only through a tracked save in the same transaction, or a call to `bump()`.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "kb:content:generation"

_tracked: set[str] = set()


def track(*model_labels: str) -> None:
    """Declare models ("glossary.term") whose changes move the generation. A label whose
    model is not installed is harmless (it never sends a signal)."""
    _tracked.update(label.lower() for label in model_labels)


def tracked() -> frozenset[str]:
    return frozenset(_tracked)


def current(key: str = GENERATION_KEY) -> str:
    """The generation now: one cache read, or a new one if the cache has none (a cold or
    cleared cache starts a new generation, which is always safe). `key` names a narrower
    generation that a part of the site moves itself (the auto-linker's: glossary/autolink.py)."""
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        value = cache.get(key)
    return value


def bump(key: str = GENERATION_KEY) -> None:
    """Move the generation forward: everything keyed by the old one is unreachable."""
    cache.set(key, uuid.uuid4().hex, timeout=None)


def _bump_now_and_after_commit() -> None:
    bump()
    transaction.on_commit(bump)


def _content_changed(sender, **kwargs) -> None:
    if sender._meta.label_lower in _tracked:
        _bump_now_and_after_commit()


def _relation_changed(sender, instance, action: str, **kwargs) -> None:
    # The sender is the (often automatic) through model: look at the instance's model.
    if action.startswith("post_") and instance._meta.label_lower in _tracked:
        _bump_now_and_after_commit()


def connect() -> None:
    """Connect the receivers, once (kb.core's AppConfig.ready)."""
    post_save.connect(_content_changed, dispatch_uid="kb.core.generation.save")
    post_delete.connect(_content_changed, dispatch_uid="kb.core.generation.delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="kb.core.generation.m2m")

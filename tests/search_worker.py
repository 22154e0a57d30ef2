"""A process that saves, creates, publishes, unpublishes and deletes terms (concurrency test).

Run as: python tests/search_worker.py SEED OPERATIONS, with DATABASE_URL and SEARCH_INDEX_DIR
in the environment. Every change goes through the ORM, so the after-commit indexing runs.
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from glossary.models import Category, Term  # noqa: E402
from kb.core.publishing import allow_deleting_published  # noqa: E402


def main(seed: int, operations: int) -> None:
    rng = random.Random(seed)
    category = Category.objects.first()
    mine: list[int] = []
    for number in range(operations):
        action = rng.choice(["create", "create", "update", "toggle", "delete", "update-shared"])
        with transaction.atomic():
            if action == "create" or not mine:
                key = f"w{seed}-{number}"
                term = Term.objects.create(
                    key=key, category=category, status=Term.Status.PUBLISHED,
                    name_fr=f"Concurrence {key}", slug_fr=key, summary_fr="Écrit en parallèle.",
                    name_it=f"Concorrenza {key}", slug_it=f"{key}-it", summary_it="Scritto.",
                    name_en=f"Concurrency {key}", slug_en=f"{key}-en", summary_en="Written.",
                )  # fmt: skip
                mine.append(term.pk)
            elif action == "update":
                term = Term.objects.get(pk=rng.choice(mine))
                term.summary_fr = f"Version {number} du processus {seed}."
                term.save()
            elif action == "toggle":
                term = Term.objects.get(pk=rng.choice(mine))
                published = term.status == Term.Status.PUBLISHED
                term.status = Term.Status.DRAFT if published else Term.Status.PUBLISHED
                term.save()
            elif action == "delete":  # a deliberate purge: published terms too
                with allow_deleting_published():
                    Term.objects.get(pk=mine.pop(rng.randrange(len(mine)))).delete()
            else:  # several processes write the same shared terms, each holding the row
                # while it edits, as the admin's edit would be refused (ConflictError) if
                # another process saved the term between the read and the save.
                term = Term.objects.select_for_update().order_by("pk")[rng.randrange(5)]
                term.summary_en = f"Shared edit {number} by process {seed}."
                term.save()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

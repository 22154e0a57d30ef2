"""Upgrades keep every row: a database built at an older schema, with content, migrates cleanly.

Articles moved from the site package (app "kb") to their own app ("articles"). A database made
before the move is built here from an empty one with the migrations of that time only, filled the
way the old code filled it, then migrated to today's schema and compared row by row.
"""

import pytest
from django.db import connection

# The schema of main before articles moved to kb.articles (the last migration of each app then).
BEFORE_THE_MOVE = [
    ("admin", "0003_logentry_add_action_flag_choices"),
    ("glossary", "0003_roles_and_baseline"),
    ("kb", "0003_article_version"),
]
AFTER_THE_MOVE = [("articles", "0001_initial"), ("kb", "0004_article_moved_to_articles_app")]


def fill_old_database(apps) -> dict:
    """Content as the old code left it: a term, an article about it with a history, the article's
    content type with its permissions held by the Editors group, and an admin log entry."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    LogEntry = apps.get_model("admin", "LogEntry")
    Category = apps.get_model("glossary", "Category")
    Term = apps.get_model("glossary", "Term")
    Article = apps.get_model("kb", "Article")
    HistoricalArticle = apps.get_model("kb", "HistoricalArticle")

    category = Category.objects.create(key="cx", name="Expérience", name_fr="Expérience")
    term = Term.objects.create(
        key="nps", name="NPS", name_fr="NPS", slug_fr="nps", category=category, status="published"
    )
    article = Article.objects.create(
        key="nps-for-smes",
        title="Le NPS pour les PME",
        title_fr="Le NPS pour les PME",
        title_it="L'NPS per le PMI",
        slug_fr="le-nps-pour-les-pme",
        slug_it="nps-per-le-pmi",
        body_fr="Un **corps** en Markdown.",
        status="published",
        version=3,
    )
    article.related_terms.add(term)
    editor = User.objects.create(username="alice")
    for version in (1, 2, 3):
        HistoricalArticle.objects.create(
            id=article.id,
            key=article.key,
            title=article.title,
            title_fr=f"Version {version}",
            slug=article.slug,
            slug_fr=article.slug_fr,
            status="published",
            version=version,
            created_at=article.created_at,
            updated_at=article.updated_at,
            history_date=article.updated_at,
            history_type="+" if version == 1 else "~",
            history_user=editor,
        )
    content_type, _created = ContentType.objects.get_or_create(app_label="kb", model="article")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_article",
            defaults={"name": f"Can {action} article"},
        )[0]
        for action in ("add", "change", "view", "delete")
    ]
    Group.objects.get_or_create(name="Editors")[0].permissions.add(*permissions)
    LogEntry.objects.create(
        user=editor,
        content_type=content_type,
        object_id=str(article.pk),
        object_repr=article.title,
        action_flag=2,
        change_message="Changed body.",
    )
    return {"article": article.pk, "term": term.pk, "content_type": content_type.pk}


def article_rows(apps, app_label: str) -> dict:
    Article = apps.get_model(app_label, "Article")
    HistoricalArticle = apps.get_model(app_label, "HistoricalArticle")
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "related_terms": list(
            Article.related_terms.through.objects.order_by("pk").values("article_id", "term_id")
        ),
        "history": list(HistoricalArticle.objects.order_by("history_id").values()),
    }


@pytest.mark.skipif(
    connection.vendor not in {"sqlite", "postgresql"}, reason="SQLite and PostgreSQL only"
)
def test_a_database_from_before_the_articles_app_upgrades_with_nothing_lost(migrator_factory):
    migrator = migrator_factory()
    old_apps = migrator.apply_initial_migration(BEFORE_THE_MOVE).apps
    ids = fill_old_database(old_apps)
    before = article_rows(old_apps, "kb")

    new_apps = migrator.apply_tested_migration(AFTER_THE_MOVE).apps

    assert article_rows(new_apps, "articles") == before
    assert before["articles"] and len(before["history"]) == 3 and before["related_terms"]
    # The content type moved with the model: same row, so permissions and log entries follow.
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.get(pk=ids["content_type"])
    assert (content_type.app_label, content_type.model) == ("articles", "article")
    Group = new_apps.get_model("auth", "Group")
    editors = Group.objects.get(name="Editors")
    assert set(
        editors.permissions.filter(content_type=content_type).values_list("codename", flat=True)
    ) == {"add_article", "change_article", "view_article", "delete_article"}
    LogEntry = new_apps.get_model("admin", "LogEntry")
    assert LogEntry.objects.get().content_type_id == ids["content_type"]


def test_the_moved_article_reads_and_saves_through_todays_model(migrator_factory):
    """After the upgrade the live model finds the old row, its history and its term."""
    migrator = migrator_factory()
    ids = fill_old_database(migrator.apply_initial_migration(BEFORE_THE_MOVE).apps)
    migrator.apply_tested_migration(AFTER_THE_MOVE)
    migrator.reset()

    from kb.articles.models import Article

    article = Article.objects.get(pk=ids["article"])
    assert article.title_it == "L'NPS per le PMI"
    assert list(article.related_terms.values_list("pk", flat=True)) == [ids["term"]]
    assert article.history.count() == 3
    article.summary_fr = "Résumé ajouté après la mise à jour."
    article.save()
    assert article.version == 4 and article.history.count() == 4

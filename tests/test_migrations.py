"""Upgrades keep every row: a database built at an older schema, with content, migrates cleanly.

Articles moved from the site package (app "kb") to their own app ("articles"). A database made
before the move is built here from an empty one with the migrations of that time only, filled the
way the old code filled it, then migrated to today's schema and compared row by row.
"""

from datetime import UTC, datetime

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


# --- "Ever published" is remembered: first_published_at, filled from history -----------------

BEFORE_FIRST_PUBLISHED = [("glossary", "0003_roles_and_baseline"), ("articles", "0001_initial")]
AFTER_FIRST_PUBLISHED = [
    ("glossary", "0004_term_first_published_at"),
    ("articles", "0002_article_first_published_at"),
]
T0, T1, T2 = (
    datetime(2024, 1, 10, 9, 0, tzinfo=UTC),
    datetime(2024, 2, 20, 9, 0, tzinfo=UTC),
    datetime(2024, 3, 30, 9, 0, tzinfo=UTC),
)


def record(History, row, when, history_type, **changes) -> None:
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    History.objects.create(**{**values, **changes}, history_date=when, history_type=history_type)


def fill_rows_with_histories(apps) -> None:
    """Terms and articles whose history says whether and when they were first published."""
    Category = apps.get_model("glossary", "Category")
    Term = apps.get_model("glossary", "Term")
    HistoricalTerm = apps.get_model("glossary", "HistoricalTerm")
    Article = apps.get_model("articles", "Article")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    category = Category.objects.create(key="cx", name="CX", name_fr="CX", slug_fr="cx")

    def term(key: str, status: str):
        return Term.objects.create(
            key=key, name=key, name_fr=key, slug=key, slug_fr=key, category=category, status=status
        )

    published = term("published", "published")
    record(HistoricalTerm, published, T1, "+")
    # The term: published, then set back to draft.
    unpublished = term("unpublished", "draft")
    record(HistoricalTerm, unpublished, T0, "+")
    record(HistoricalTerm, unpublished, T1, "~", status="published")
    record(HistoricalTerm, unpublished, T2, "~", status="published")
    record(HistoricalTerm, unpublished, T2, "~")
    never = term("never", "draft")
    record(HistoricalTerm, never, T0, "+")
    term("deprecated-without-history", "deprecated")

    def article(key: str, status: str):
        return Article.objects.create(
            key=key, title=key, title_fr=key, slug=key, slug_fr=key, status=status
        )

    live = article("live", "published")
    record(HistoricalArticle, live, T0, "+", status="draft")
    record(HistoricalArticle, live, T1, "~")
    withdrawn = article("withdrawn", "draft")
    record(HistoricalArticle, withdrawn, T1, "+", status="published")
    record(HistoricalArticle, withdrawn, T2, "~")
    article("article-draft", "draft")


def database_before_first_published(migrator):
    """The schema just before first_published_at. The initial plan runs every migration listed
    before the targets in Django's full plan, the new ones included: they are unapplied."""
    migrator.apply_initial_migration(BEFORE_FIRST_PUBLISHED)
    return migrator.apply_tested_migration(BEFORE_FIRST_PUBLISHED).apps


def rows(apps) -> dict:
    found = {}
    for app_label, name in (("glossary", "Term"), ("articles", "Article")):
        for model_name in (name, f"Historical{name}"):
            model = apps.get_model(app_label, model_name)
            found[model_name] = [
                {k: v for k, v in row.items() if k != "first_published_at"}
                for row in model.objects.order_by("pk").values()
            ]
    return found


@pytest.mark.skipif(
    connection.vendor not in {"sqlite", "postgresql"}, reason="SQLite and PostgreSQL only"
)
def test_first_published_at_is_filled_from_history_and_every_row_is_kept(migrator_factory):
    migrator = migrator_factory()
    old_apps = database_before_first_published(migrator)
    assert "first_published_at" not in {
        field.name for field in old_apps.get_model("glossary", "Term")._meta.fields
    }
    fill_rows_with_histories(old_apps)
    before = rows(old_apps)

    new_apps = migrator.apply_tested_migration(AFTER_FIRST_PUBLISHED).apps

    assert rows(new_apps) == before
    Term = new_apps.get_model("glossary", "Term")
    dates = dict(Term.objects.values_list("key", "first_published_at"))
    deprecated = Term.objects.get(key="deprecated-without-history")
    assert dates == {
        "published": T1,
        "unpublished": T1,  # a draft now, but its history shows it was published
        "never": None,
        "deprecated-without-history": deprecated.created_at,
    }
    Article = new_apps.get_model("articles", "Article")
    assert dict(Article.objects.values_list("key", "first_published_at")) == {
        "live": T1,
        "withdrawn": T1,
        "article-draft": None,
    }


def test_a_term_unpublished_before_the_upgrade_cannot_be_deleted_after_it(migrator_factory):
    migrator = migrator_factory()
    fill_rows_with_histories(database_before_first_published(migrator))
    migrator.apply_tested_migration(AFTER_FIRST_PUBLISHED)
    migrator.reset()

    from glossary.models import Term
    from kb.core.publishing import PublishedDeletionError

    with pytest.raises(PublishedDeletionError):
        Term.objects.get(key="unpublished").delete()
    Term.objects.get(key="never").delete()
    assert not Term.objects.filter(key="never").exists()


# --- The did-you-mean vocabulary (glossary 0009, PostgreSQL only) -------------------------------

BEFORE_SEARCH_WORDS = ("glossary", "0008_category_translation_status")
AFTER_SEARCH_WORDS = ("glossary", "0009_search_words")


def search_rows(apps) -> dict:
    Document = apps.get_model("glossary", "SearchDocument")
    Label = apps.get_model("glossary", "SearchLabel")
    return {
        "documents": list(Document.objects.order_by("pk").values("pk", "language", "name")),
        "labels": list(Label.objects.order_by("pk").values("pk", "language", "word", "label")),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tables exist on PostgreSQL only")
def test_the_vocabulary_is_filled_from_the_label_words_and_every_row_is_kept(migrator_factory):
    migrator = migrator_factory()
    migrator.apply_initial_migration(BEFORE_SEARCH_WORDS)
    old_apps = migrator.apply_tested_migration(BEFORE_SEARCH_WORDS).apps
    Document = old_apps.get_model("glossary", "SearchDocument")
    Label = old_apps.get_model("glossary", "SearchLabel")
    for number, (language, words) in enumerate(
        [("fr", ["numero", "vert"]), ("fr", ["numero", "azur"]), ("it", ["numero", "verde"])]
    ):
        document = Document.objects.create(
            model_label="glossary.term", object_id=number + 1, language=language, kind="term",
            name=" ".join(words), acronym="", synonyms="", deprecated="", summary="", slug="s",
            url="/", urls="{}", fingerprint="f", weight_a="", weight_b="", weight_c="",
            weight_d="",
        )  # fmt: skip
        Label.objects.bulk_create(
            Label(
                document=document,
                language=language,
                word=word,
                preference=0,
                label=document.name,
                words=f" {document.name}",
                first=index == 0,
            )
            for index, word in enumerate(words)
        )
    before = search_rows(old_apps)

    new_apps = migrator.apply_tested_migration(AFTER_SEARCH_WORDS).apps

    assert search_rows(new_apps) == before
    Word = new_apps.get_model("glossary", "SearchWord")
    assert sorted(Word.objects.values_list("language", "word")) == [
        ("fr", "azur"), ("fr", "numero"), ("fr", "vert"), ("it", "numero"), ("it", "verde"),
    ]  # fmt: skip
    # And back: the labels stay, the vocabulary goes.
    old_again = migrator.apply_tested_migration(BEFORE_SEARCH_WORDS).apps
    assert search_rows(old_again) == before
    migrator.reset()

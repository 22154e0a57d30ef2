"""Articles move from the site package (app "kb") to their own app, keeping every row.

The tables stay where they are (kb_article, kb_article_related_terms, kb_historicalarticle):
this migration only tells Django's model state that the models now belong here, after kb's
own migrations created them (kb 0004 removes them from kb's state). The content types follow,
so permissions, group roles and admin log entries keep pointing at the same rows.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = ("article", "historicalarticle")


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db).filter(app_label=new).values_list("model", flat=True)
    )
    ContentType.objects.using(db).filter(app_label=old, model__in=MODELS).exclude(
        model__in=taken
    ).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, schema_editor, "kb", "articles")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, schema_editor, "articles", "kb")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('glossary', '0003_roles_and_baseline'),
        ('kb', '0003_article_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalArticle',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, help_text='Increases with every save; guards against lost updates.', verbose_name='version')),
                        ('key', models.SlugField(help_text='Language-independent identifier, used by the content files.', verbose_name='key')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('title_fr', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('title_it', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('title_en', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('slug', models.SlugField(max_length=200, verbose_name='slug')),
                        ('slug_fr', models.SlugField(max_length=200, null=True, verbose_name='slug')),
                        ('slug_it', models.SlugField(max_length=200, null=True, verbose_name='slug')),
                        ('slug_en', models.SlugField(max_length=200, null=True, verbose_name='slug')),
                        ('summary', models.CharField(blank=True, help_text='One or two sentences, shown in lists and as the page description.', max_length=300, verbose_name='summary')),
                        ('summary_fr', models.CharField(blank=True, help_text='One or two sentences, shown in lists and as the page description.', max_length=300, null=True, verbose_name='summary')),
                        ('summary_it', models.CharField(blank=True, help_text='One or two sentences, shown in lists and as the page description.', max_length=300, null=True, verbose_name='summary')),
                        ('summary_en', models.CharField(blank=True, help_text='One or two sentences, shown in lists and as the page description.', max_length=300, null=True, verbose_name='summary')),
                        ('body', models.TextField(blank=True, help_text='Markdown.', verbose_name='body')),
                        ('body_fr', models.TextField(blank=True, help_text='Markdown.', null=True, verbose_name='body')),
                        ('body_it', models.TextField(blank=True, help_text='Markdown.', null=True, verbose_name='body')),
                        ('body_en', models.TextField(blank=True, help_text='Markdown.', null=True, verbose_name='body')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=20, verbose_name='status')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical article',
                        'verbose_name_plural': 'historical articles',
                        'db_table': 'kb_historicalarticle',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Article',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, help_text='Increases with every save; guards against lost updates.', verbose_name='version')),
                        ('key', models.SlugField(help_text='Language-independent identifier, used by the content files.', unique=True, verbose_name='key')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('title_fr', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('title_it', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('title_en', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('slug', models.SlugField(max_length=200, verbose_name='slug')),
                        ('slug_fr', models.SlugField(max_length=200, null=True, verbose_name='slug')),
                        ('slug_it', models.SlugField(max_length=200, null=True, verbose_name='slug')),
                        ('slug_en', models.SlugField(max_length=200, null=True, verbose_name='slug')),
                        ('summary', models.CharField(blank=True, help_text='One or two sentences, shown in lists and as the page description.', max_length=300, verbose_name='summary')),
                        ('summary_fr', models.CharField(blank=True, help_text='One or two sentences, shown in lists and as the page description.', max_length=300, null=True, verbose_name='summary')),
                        ('summary_it', models.CharField(blank=True, help_text='One or two sentences, shown in lists and as the page description.', max_length=300, null=True, verbose_name='summary')),
                        ('summary_en', models.CharField(blank=True, help_text='One or two sentences, shown in lists and as the page description.', max_length=300, null=True, verbose_name='summary')),
                        ('body', models.TextField(blank=True, help_text='Markdown.', verbose_name='body')),
                        ('body_fr', models.TextField(blank=True, help_text='Markdown.', null=True, verbose_name='body')),
                        ('body_it', models.TextField(blank=True, help_text='Markdown.', null=True, verbose_name='body')),
                        ('body_en', models.TextField(blank=True, help_text='Markdown.', null=True, verbose_name='body')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=20, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('related_terms', models.ManyToManyField(blank=True, help_text="The article is listed under “Related content” on these terms' pages.", related_name='articles', to='glossary.term', verbose_name='related terms')),
                    ],
                    options={
                        'verbose_name': 'article',
                        'verbose_name_plural': 'articles',
                        'db_table': 'kb_article',
                        'ordering': ['key'],
                        'indexes': [models.Index(fields=['status', '-updated_at'], name='article_status_updated_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('slug_fr', ''), _negated=True), fields=('slug_fr',), name='article_unique_slug_fr'), models.UniqueConstraint(condition=models.Q(('slug_it', ''), _negated=True), fields=('slug_it',), name='article_unique_slug_it'), models.UniqueConstraint(condition=models.Q(('slug_en', ''), _negated=True), fields=('slug_en',), name='article_unique_slug_en')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

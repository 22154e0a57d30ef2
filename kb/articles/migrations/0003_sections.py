"""Articles are grouped in sections, each with its own page (issue 14).

Every article that exists before the upgrade is filed in a default section, created here when
there is such an article, so that none goes missing from the knowledge base's pages; editors (or
`load_articles --update`, which follows the content files) then move each to its own section.
The default's texts are written out here, as kb/articles/content/sections.json had them at the
time: a migration must not read live files, which may change.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

DEFAULT_SECTION = {
    "key": "crm-and-data",
    "position": 50,
    "name_fr": "CRM et données clients",
    "slug_fr": "crm-et-donnees-clients",
    "name_it": "CRM e dati dei clienti",
    "slug_it": "crm-e-dati-clienti",
    "name_en": "CRM and customer data",
    "slug_en": "crm-and-customer-data",
}


def file_existing_articles(apps, schema_editor):
    db = schema_editor.connection.alias
    Article = apps.get_model("articles", "Article")
    Section = apps.get_model("articles", "Section")
    unfiled = Article.objects.using(db).filter(section__isnull=True)
    if not unfiled.exists():
        return
    values = {**DEFAULT_SECTION, "name": DEFAULT_SECTION["name_fr"]}
    values["slug"] = values["slug_fr"]
    section, _created = Section.objects.using(db).get_or_create(
        key=values.pop("key"), defaults=values
    )
    # A queryset update: no save(), so neither versions nor histories of the articles move.
    unfiled.update(section=section)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_article_first_published_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalSection',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, help_text='Increases with every save; guards against lost updates.', verbose_name='version')),
                ('key', models.SlugField(help_text='Language-independent identifier, used by the content files.', verbose_name='key')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('name_fr', models.CharField(max_length=120, null=True, verbose_name='name')),
                ('name_it', models.CharField(max_length=120, null=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=120, null=True, verbose_name='name')),
                ('slug', models.SlugField(max_length=120, verbose_name='slug')),
                ('slug_fr', models.SlugField(max_length=120, null=True, verbose_name='slug')),
                ('slug_it', models.SlugField(max_length=120, null=True, verbose_name='slug')),
                ('slug_en', models.SlugField(max_length=120, null=True, verbose_name='slug')),
                ('description', models.TextField(blank=True, help_text='One or two sentences, shown on its page.', verbose_name='description')),
                ('description_fr', models.TextField(blank=True, help_text='One or two sentences, shown on its page.', null=True, verbose_name='description')),
                ('description_it', models.TextField(blank=True, help_text='One or two sentences, shown on its page.', null=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, help_text='One or two sentences, shown on its page.', null=True, verbose_name='description')),
                ('position', models.PositiveSmallIntegerField(default=0, help_text='Sections are listed by position, then key.', verbose_name='position')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical section',
                'verbose_name_plural': 'historical sections',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Section',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, help_text='Increases with every save; guards against lost updates.', verbose_name='version')),
                ('key', models.SlugField(help_text='Language-independent identifier, used by the content files.', unique=True, verbose_name='key')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('name_fr', models.CharField(max_length=120, null=True, verbose_name='name')),
                ('name_it', models.CharField(max_length=120, null=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=120, null=True, verbose_name='name')),
                ('slug', models.SlugField(max_length=120, verbose_name='slug')),
                ('slug_fr', models.SlugField(max_length=120, null=True, verbose_name='slug')),
                ('slug_it', models.SlugField(max_length=120, null=True, verbose_name='slug')),
                ('slug_en', models.SlugField(max_length=120, null=True, verbose_name='slug')),
                ('description', models.TextField(blank=True, help_text='One or two sentences, shown on its page.', verbose_name='description')),
                ('description_fr', models.TextField(blank=True, help_text='One or two sentences, shown on its page.', null=True, verbose_name='description')),
                ('description_it', models.TextField(blank=True, help_text='One or two sentences, shown on its page.', null=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, help_text='One or two sentences, shown on its page.', null=True, verbose_name='description')),
                ('position', models.PositiveSmallIntegerField(default=0, help_text='Sections are listed by position, then key.', verbose_name='position')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'section',
                'verbose_name_plural': 'sections',
                'ordering': ['position', 'key'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('slug_fr', ''), _negated=True), fields=('slug_fr',), name='section_unique_slug_fr'), models.UniqueConstraint(condition=models.Q(('slug_it', ''), _negated=True), fields=('slug_it',), name='section_unique_slug_it'), models.UniqueConstraint(condition=models.Q(('slug_en', ''), _negated=True), fields=('slug_en',), name='section_unique_slug_en')],
            },
            bases=(models.Model,),
        ),
        migrations.AddField(
            model_name='article',
            name='section',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='articles.section', verbose_name='section'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='section',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.section', verbose_name='section'),
        ),
        migrations.RunPython(file_existing_articles, migrations.RunPython.noop),
    ]

"""Articles now live in kb.articles (its 0001 takes over these tables): state only, no SQL."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('kb', '0003_article_version'),
        ('articles', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalarticle',
                    name='history_user',
                ),
                migrations.DeleteModel(
                    name='Article',
                ),
                migrations.DeleteModel(
                    name='HistoricalArticle',
                ),
            ],
            database_operations=[],
        ),
    ]

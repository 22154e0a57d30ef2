from django.urls import path

from kb import article_views

app_name = "articles"

# Included under a translated segment (kb/urls.py); slugs are per language too.
urlpatterns = [
    path("", article_views.article_list, name="article-list"),
    path("<slug:slug>/", article_views.article_detail, name="article-detail"),
]

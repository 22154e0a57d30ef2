from django.urls import path

from kb.articles import views

app_name = "articles"

# Included under a translated segment (kb/urls.py); slugs are per language too.
urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("<slug:slug>/", views.article_detail, name="article-detail"),
]

"""Language analysis, query cleaning and highlighting: pure functions, no database."""

import pytest

from glossary.search.analysis import analyze, query_words, word_forms
from glossary.search.engine import MAX_QUERY_CHARS, MAX_QUERY_WORDS, clean_query
from glossary.search.highlight import highlight


def same_terms(a: str, b: str, language: str) -> bool:
    forms_a = {f for forms in analyze(a, language) for f in forms}
    forms_b = {f for forms in analyze(b, language) for f in forms}
    return bool(forms_a & forms_b)


@pytest.mark.parametrize(
    ("language", "typed", "indexed"),
    [
        ("fr", "numero", "Numéro"),  # accents and case folded
        ("fr", "numéros", "numéro"),  # French plural, which Snowball leaves alone
        ("fr", "surtaxes", "surtaxé"),
        ("fr", "SURTAXEE", "surtaxées"),
        ("fr", "expérience", "l'expérience"),  # French elision
        ("fr", "appel", "d’appels"),  # typographic apostrophe
        ("it", "promotori", "promotore"),  # Italian stemming
        ("it", "esperienza", "l'esperienza"),  # Italian elision
        ("it", "esperienza", "dell'esperienza"),
        ("it", "attivita", "attività"),
        ("it", "numeri", "Numero"),
        ("en", "promoters", "Promoter"),
        ("en", "companies", "company"),
        ("en", "calls", "call"),
    ],
)
def test_typed_word_matches_indexed_word(language, typed, indexed):
    assert same_terms(typed, indexed, language)


@pytest.mark.parametrize(("language", "word"), [("fr", "de"), ("it", "dei"), ("en", "the")])
def test_stop_words_are_neither_indexed_nor_searched(language, word):
    assert word_forms(word, language) == ()


def test_words_inside_an_apostrophe_that_is_not_an_elision_are_kept():
    assert word_forms("aujourd'hui", "fr")


@pytest.mark.parametrize(
    "hostile",
    [
        '"unbalanced',
        "AND OR (",
        "*",
        "title:",
        "a\x00b",
        "\ud800x",
        "🙂",
        "x" * 10_000,
        "NOT -",
        "~2^3",
    ],
)
def test_query_syntax_never_survives_cleaning(hostile):
    cleaned = clean_query(hostile)
    assert len(cleaned) <= MAX_QUERY_CHARS
    assert not set(cleaned) & set('"()*:~^\x00\ud800-')
    cleaned.encode("utf-8")  # no lone surrogate left


def test_long_input_is_cut_to_a_few_words():
    assert len(clean_query("mot " * 5000).split()) == MAX_QUERY_WORDS
    assert query_words("a b c", 2) == ["a", "b"]


def test_highlight_marks_folded_and_stemmed_matches_and_escapes_the_rest():
    html = highlight("Numéros <b>surtaxés</b> & co", "numero surtaxe", "fr")
    assert html == "<mark>Numéros</mark> &lt;b&gt;<mark>surtaxés</mark>&lt;/b&gt; &amp; co"


def test_highlight_marks_italian_word_after_elision():
    assert highlight("L'esperienza del cliente", "esperienze", "it") == (
        "<mark>L&#x27;esperienza</mark> del cliente"
    )

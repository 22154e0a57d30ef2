"""The autocomplete table of the Whoosh indexes (glossary/search/labels.py)."""

import pytest

from glossary.search.labels import LabelTable


def doc(pk: int, name: str, acronym: str = "", synonyms: str = "") -> dict:
    return {
        "django_id": str(pk), "name": name, "acronym": acronym, "synonyms": synonyms,
        "slug": f"t{pk}", "url": f"/en/terms/t{pk}/", "summary": "not kept",
    }  # fmt: skip


TABLE = LabelTable(
    [
        doc(1, "Net Promoter Score", "NPS", "Net promoter\nPromoter score"),
        doc(2, "Number portability"),
        doc(3, "Numéro vert", synonyms="Numéro gratuit"),
        doc(4, "Premium-rate number", synonyms="Numero a pagamento"),
        doc(5, "Promoter"),
    ]
)


def labels(*prefixes: str, limit: int = 10) -> list[str]:
    return [label for label, _fields in TABLE.find(list(prefixes), limit)]


def test_labels_that_start_with_the_typed_word_come_first_then_the_shortest():
    assert labels("p") == [
        "Promoter", "Premium-rate number", "Net Promoter Score", "Number portability",
    ]  # fmt: skip


def test_each_document_shows_its_name_before_an_acronym_or_a_synonym():
    assert labels("net") == ["Net Promoter Score"]  # not its shorter synonym "Net promoter"
    assert labels("score") == ["Net Promoter Score"]
    assert labels("gratuit") == ["Numéro gratuit"]  # only a synonym has the word


def test_every_typed_word_must_start_a_word_of_the_label():
    assert labels("net", "sco") == ["Net Promoter Score"]
    assert labels("sco", "net") == ["Net Promoter Score"]
    assert labels("net", "zzz") == []


@pytest.mark.parametrize("typed", ["nume", "numero"])
def test_prefixes_are_matched_without_accents_or_case(typed):
    assert labels(typed) == ["Numéro vert", "Numero a pagamento"]


def test_acronyms_and_the_limit():
    assert labels("np") == ["NPS"]
    assert labels("n", limit=2) == ["Numéro vert", "Net Promoter Score"]


def test_only_the_fields_a_suggestion_shows_are_kept():
    (_label, fields), *_ = TABLE.find(["promoter"], 1)
    assert fields == {
        "django_id": "5", "name": "Promoter", "acronym": "", "synonyms": "",
        "slug": "t5", "url": "/en/terms/t5/",
    }  # fmt: skip


def test_nothing_typed_or_nothing_indexed_finds_nothing():
    assert labels() == []
    assert LabelTable([]).find(["a"], 10) == []

"""load_glossary refuses content whose relations contradict each other: the same pair declared
with two types (reciprocal types taken into account), a cycle of broader terms, or a relation to
a key that does not exist. It names the file and the keys, exits non-zero and writes nothing."""

import copy
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from glossary import content
from glossary.content import CONTENT_DIR, read_content
from glossary.models import Category, Term, TermRelation

CRM = "customer-relationship-management"


def declared_pairs(terms):
    """{frozenset(pair): {type as seen from the smaller key}} for every declared relation."""
    inverse = {"broader": "narrower", "narrower": "broader"}
    pairs: dict[tuple, set] = {}
    for entry in terms:
        for relation in entry.get("relations", []):
            a, b, kind = entry["key"], relation["to"], relation["type"]
            seen = kind if a < b else inverse.get(kind, kind)
            pairs.setdefault(tuple(sorted((a, b))), set()).add(seen)
    return pairs


def test_the_shipped_content_declares_each_pair_with_one_type():
    _categories, terms = read_content()
    assert {pair: kinds for pair, kinds in declared_pairs(terms).items() if len(kinds) > 1} == {}


def test_a_tool_is_not_a_narrower_term_of_a_practice():
    _categories, terms = read_content()
    pairs = declared_pairs(terms)
    assert pairs[("call-tracking", "dynamic-number")] == {"related"}


@pytest.fixture
def content_copy(tmp_path, monkeypatch):
    """A writable copy of glossary/content/ that load_glossary reads instead of the real one."""
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    monkeypatch.setattr(content, "CONTENT_DIR", directory)
    return directory


def edit(directory, filename, key, relations):
    """Replace the relations of term `key` in `filename` (a function of the old list)."""
    path = directory / filename
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = next(term for term in data["terms"] if term["key"] == key)
    entry["relations"] = relations(copy.deepcopy(entry.get("relations", [])))
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def refusal(db) -> str:
    """Run load_glossary, check it failed and wrote nothing; return its message."""
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("load_glossary")
    assert (Category.objects.count(), Term.objects.count(), TermRelation.objects.count()) == (
        0,
        0,
        0,
    )
    return str(raised.value)


def test_the_same_pair_with_two_types_is_refused(db, content_copy):
    # chatbot says "related" to customer-analytics; customer-analytics says "see also" back.
    edit(content_copy, "terms-crm-strategy.json", "chatbot",
         lambda rs: [*rs, {"type": "related", "to": "customer-analytics"}])  # fmt: skip
    edit(content_copy, "terms-crm-strategy.json", "customer-analytics",
         lambda rs: [*rs, {"type": "see_also", "to": "chatbot"}])  # fmt: skip
    message = refusal(db)
    assert "terms-crm-strategy.json" in message
    assert "chatbot" in message and "customer-analytics" in message
    assert "related" in message and "see_also" in message


def test_broader_one_way_and_broader_the_other_way_is_refused(db, content_copy):
    # CRM declares e-CRM as a narrower term (e-crm broader CRM); e-crm saying it is narrower
    # than CRM (CRM would be a kind of e-CRM) contradicts it.
    edit(content_copy, "terms-crm-strategy.json", "e-crm",
         lambda rs: [*rs, {"type": "narrower", "to": CRM}])  # fmt: skip
    message = refusal(db)
    assert "customer-relationship-management" in message and "e-crm" in message


def test_reciprocal_declarations_that_agree_are_accepted(db, content_copy):
    # "A broader B" on A and "B narrower A" on B say the same thing: no refusal. The shipped
    # content declares each pair once (CRM narrower e-CRM); the copy adds the reciprocal.
    edit(content_copy, "terms-crm-strategy.json", "e-crm",
         lambda rs: [*rs, {"type": "broader", "to": CRM}])  # fmt: skip
    _categories, terms = read_content(content_copy)
    by_key = {entry["key"]: entry for entry in terms}
    assert {"type": "broader", "to": "customer-relationship-management"} in by_key["e-crm"][
        "relations"
    ]
    assert {"type": "narrower", "to": "e-crm"} in by_key["customer-relationship-management"][
        "relations"
    ]


def test_a_cycle_of_broader_terms_is_refused(db, content_copy):
    # e-CRM is a kind of CRM, CRM a kind of best of breed, best of breed a kind of e-CRM.
    cycle = ["e-crm", "customer-relationship-management", "best-of-breed"]
    for key, parent in zip(cycle, cycle[1:] + cycle[:1], strict=True):
        edit(content_copy, "terms-crm-strategy.json", key,
             lambda rs, parent=parent: [r for r in rs if r["to"] not in cycle]
             + [{"type": "broader", "to": parent}])  # fmt: skip
    message = refusal(db)
    assert "cycle" in message
    assert "best-of-breed -> e-crm -> customer-relationship-management -> best-of-breed" in message
    assert "terms-crm-strategy.json" in message


def test_a_relation_to_an_unknown_key_is_refused(db, content_copy):
    edit(content_copy, "terms-crm-strategy.json", "chatbot",
         lambda rs: [*rs, {"type": "related", "to": "no-such-term"}])  # fmt: skip
    message = refusal(db)
    assert "terms-crm-strategy.json" in message
    assert "chatbot" in message and "no-such-term" in message


def test_the_refusal_speaks_the_operators_language(db, content_copy):
    edit(content_copy, "terms-crm-strategy.json", "chatbot",
         lambda rs: [*rs, {"type": "see_also", "to": "customer-service-and-support"}])  # fmt: skip
    with translation.override("fr"), pytest.raises(CommandError) as raised:
        call_command("load_glossary")
    assert "sont liés deux fois avec des types différents" in str(raised.value)
    assert "«\u202fchatbot\u202f»" in str(raised.value)

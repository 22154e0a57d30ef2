"""Guards on the written content itself (glossary/content/*.json, kb/articles/content/*), read
from the files rather than the database: French typography, terms complete in every language,
at least two relations per term and none contradicting another, well-formed source addresses
and known label statuses. They run on every content file, whoever wrote it."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest

from glossary.content import CONTENT_DIR, LABEL_STATUSES, read_content
from tests.test_guards import FRENCH_LOOSE_SPACE

ARTICLES_DIR = Path(__file__).resolve().parent.parent / "kb" / "articles" / "content"
JSON_FILES = sorted(CONTENT_DIR.glob("*.json")) + sorted(ARTICLES_DIR.glob("*.json"))
FRENCH_BODIES = sorted(ARTICLES_DIR.glob("*.fr.md"))
LANGUAGES = ("fr", "it", "en")
# Markdown that may legitimately put a space before a colon: code and table alignment rows.
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$", re.MULTILINE)


def texts_in(language: str, node, where=""):
    """(where, text) for every string under a `language` key, and every source note in it."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == language:
                yield from all_strings(value, f"{where}.{language}")
            elif key == "sources":
                for i, source in enumerate(value):
                    if source.get("language") == language:
                        yield from all_strings(source, f"{where}.sources[{i}]")
            else:
                yield from texts_in(language, value, f"{where}.{key}" if where else key)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            label = item.get("key", i) if isinstance(item, dict) else i
            yield from texts_in(language, item, f"{where}[{label}]")


def all_strings(node, where):
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "url":
                yield from all_strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from all_strings(item, f"{where}[{i}]")


def loose_spaces(text: str) -> list[str]:
    text = TABLE_RULE.sub("", CODE.sub("", text))
    return [
        repr(text[max(0, m.start() - 25) : m.end() + 5]) for m in FRENCH_LOOSE_SPACE.finditer(text)
    ]


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda path: path.name)
def test_french_texts_of_every_content_file_keep_their_marks_with_their_words(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    problems = [
        f"{where}: {excerpt}"
        for where, text in texts_in("fr", data)
        for excerpt in loose_spaces(text)
    ]
    assert problems == [], "ordinary space where French needs a no-break one:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("path", FRENCH_BODIES, ids=lambda path: path.name)
def test_french_article_bodies_keep_their_marks_with_their_words(path):
    assert loose_spaces(path.read_text(encoding="utf-8")) == []


# Italian speaks to the reader in one register, "Lei" or impersonal (infinitives, "si"): never
# "tu" or "voi". Their pronouns and possessives, and the imperatives that begin a sentence.
INFORMAL_ITALIAN = re.compile(
    r"\b(?:tu|ti|tuo|tua|tuoi|tue|hai|puoi|devi|vuoi|voi|vostr[oaie]|potete|dovete|volete|sapete"
    r"|avete|vi serv\w*|ti serv\w*)\b"
    r"|(?:^|[.:;!?]\s+)(?:inserite|indicate|scegliete|salvate|riprovate|copiate|digitate"
    r"|calcolate|contattate|correggete|leggete\w*|rimuovete\w*|prevedete|riprova|digita"
    r"|ricarica|scegli|inserisci)\b",
    re.IGNORECASE | re.MULTILINE,
)
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def italian_texts():
    """(where, text) for every Italian text: content files, article bodies, catalogs."""
    for path in JSON_FILES:
        yield from texts_in("it", json.loads(path.read_text(encoding="utf-8")), path.name)
    for path in sorted(ARTICLES_DIR.glob("*.it.md")):
        text = path.read_text(encoding="utf-8")
        # Survey questions quoted in « » address the customer ("Lei"): also checked.
        yield path.name, text
    for path in sorted((LOCALE_DIR / "it" / "LC_MESSAGES").glob("*.po")):
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                yield f"{path.name}: {entry.msgid[:40]!r}", text


def test_italian_speaks_in_one_register_everywhere():
    problems = [
        f"{where}: {match.group(0).strip()!r}"
        for where, text in italian_texts()
        for match in INFORMAL_ITALIAN.finditer(text)
    ]
    assert problems == [], "tu or voi where Italian uses Lei or the impersonal:\n" + "\n".join(
        problems
    )


def test_the_register_check_sees_tu_and_voi_but_not_participles():
    for informal in ("Calcola il tuo NPS.", "Il vostro parere", "Ok. Riprovate più tardi.",
                     "Per raggiungerlo vi servono due promotori."):  # fmt: skip
        assert INFORMAL_ITALIAN.search(informal), informal
    for formal in ("Le chiamate indicate nel CRM sono state salvate.", "Il Suo parere",
                   "Riprovare più tardi.", "Le risposte si dividono in tre gruppi."):  # fmt: skip
        assert not INFORMAL_ITALIAN.search(formal), formal


def test_the_typography_check_sees_loose_spaces_but_not_addresses_or_table_rules():
    assert loose_spaces("Exemple : un « mot » à 80 % ; vraiment ?") != []
    assert len(loose_spaces("Exemple : un « mot » à 80 % ; vraiment ?")) == 6
    assert (
        loose_spaces("Voir https://www.arcep.fr/ et `a :b`\n| Usage | Prix |\n| :--- | ---: |")
        == []
    )
    assert (
        loose_spaces("Exemple\u00a0: un «\u202fmot\u202f» à 80\u00a0%\u202f; vraiment\u202f?") == []
    )


@pytest.fixture(scope="module")
def terms():
    # read_content validates everything: a relation contradiction or a broader cycle raises.
    _categories, terms = read_content()
    return terms


def test_the_content_reads_without_contradictions():
    _categories, terms = read_content()
    assert terms


def test_every_term_is_complete_in_every_language(terms):
    missing = [
        f"{entry['_file']}: {entry['key']} {code}.{field}"
        for entry in terms
        for code in LANGUAGES
        for field in ("name", "slug", "summary", "definition")
        if not ((entry.get(code) or {}).get(field) or "").strip()
    ]
    assert missing == []


def test_every_term_has_at_least_two_relations_counting_both_directions(terms):
    linked: dict[str, set[str]] = {entry["key"]: set() for entry in terms}
    for entry in terms:
        for relation in entry.get("relations", []):
            linked[entry["key"]].add(relation["to"])
            linked[relation["to"]].add(entry["key"])
    lonely = sorted(
        f"{entry['_file']}: {entry['key']} ({len(linked[entry['key']])})"
        for entry in terms
        if len(linked[entry["key"]]) < 2
    )
    assert lonely == []


def test_every_source_address_is_a_well_formed_web_address(terms):
    bad = []
    for entry in terms:
        for source in entry.get("sources", []):
            url = source.get("url", "")
            if not url:
                continue
            parts = urlsplit(url)
            host = parts.hostname or ""
            if (
                parts.scheme not in ("http", "https")
                or "." not in host.strip(".")
                or re.search(r"\s", url)
            ):
                bad.append(f"{entry['_file']}: {entry['key']}: {url}")
    assert bad == []


def test_every_label_has_a_known_status(terms):
    unknown = [
        f"{entry['_file']}: {entry['key']} {code}: {label}"
        for entry in terms
        for code in LANGUAGES
        for label in (entry.get(code) or {}).get("labels", [])
        if label.get("status") not in LABEL_STATUSES
    ]
    assert unknown == []


def test_loading_the_glossary_into_an_empty_database_gives_120_complete_linked_terms(db):
    """Issue 13's bar, read from the database the loader fills, not from the files."""
    from django.db.models import Count

    from glossary.content import load
    from glossary.models import Term

    load()
    published = Term.objects.published().annotate(links=Count("relations"))
    assert published.count() >= 120
    for term in published:
        for code in ("fr", "it", "en"):
            assert all(
                term.text(field, code) for field in ("name", "slug", "summary", "definition")
            ), (
                term.key,
                code,
            )
        assert term.links >= 2, term.key
        assert term.translation_states() == {"it": "complete", "en": "complete"}, term.key

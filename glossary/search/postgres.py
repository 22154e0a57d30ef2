"""The PostgreSQL engine (SEARCH_URL=postgres): full-text search in the site's own database,
for sites served by more than one machine.

Documents are the haystack index definitions' (glossary/search_indexes.py,
kb/articles/search_indexes.py), prepared exactly as for Whoosh, and stored one row per object
and language in glossary.search.documents.SearchDocument, with a tsvector built by the
language's configuration (kb_fr, kb_it, kb_en: unaccent then the Snowball stemmer; created by
glossary/migrations/0007_search_documents). Weights:

    A  name, and the acronym (folded, not stemmed: kb_simple)
    B  admitted and search-only labels (synonyms)
    C  summary, and deprecated labels: a name professionals advise against still finds the
       term, below the names they use (the Whoosh boosts put them between labels and summary)
    D  definition, or an article's body

Elisions and French plurals are removed in Python first (glossary.search.analysis), on the
documents and on the queries alike, since PostgreSQL's parser splits "l'esperienza" at the
apostrophe and its French stemmer keeps most plural s.

Writes are transactional (`transactional = True`): the signal processor calls `index` inside
the transaction of the save, which locks the saved rows (SELECT ... FOR UPDATE) before reading
them, so of two concurrent writers the second reads what the first committed. The documents
commit or roll back with the content: search never drifts and `search_check` is clean by
construction. A failed write fails the save (nothing is queued).

Highlighting stays glossary.search.highlight's for every engine, not SearchHeadline: the page
marks the stored name and summary the same way whichever engine found them, and ts_headline,
which parses the text without our elision and plural steps, would leave "Numéros" unmarked for
`numero` (tests/test_search_postgres.py shows it).
"""

import re
from collections.abc import Iterable
from itertools import islice, product

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, transaction
from django.utils import translation
from haystack import connections
from haystack.utils import get_model_ct
from rapidfuzz.distance import OSA

from glossary.models import Term
from glossary.search.analysis import WORDS, singular, strip_elision, word_forms
from glossary.search.documents import SearchDocument, SearchLabel, SearchWord
from glossary.search.engine import TERM, Hit, SearchEngine
from glossary.search.labels import label_words
from kb.core.collation import fold
from kb.core.languages import language_codes

CONFIGURATIONS = {"fr": "kb_fr", "it": "kb_it", "en": "kb_en"}
SIMPLE = "kb_simple"
CHUNK = 2000
# "Did you mean": close words tried per unknown word; the longest word whose swaps are listed
# (longer ones: Levenshtein's bound alone); fuzzystrmatch's longest word (longer ones are
# never corrected: levenshtein() refuses them).
CORRECTIONS = 3
LISTED_SWAPS = 40
LEVENSHTEIN_MAX = 255
TERM_LABEL = "glossary.term"


def configuration(language: str) -> str:
    return CONFIGURATIONS.get(language, SIMPLE)


def plain_text(text: str, language: str) -> str:
    """`text`'s words, lower-cased, without elisions, French plurals made singular: what
    PostgreSQL's configurations then fold and stem."""
    return " ".join(
        singular(strip_elision(word.lower(), language), language)
        for word in WORDS.findall(text or "")
    )


def vector_expression(language: str) -> SearchVector:
    config = configuration(language)
    return (
        SearchVector("weight_a", config=config, weight="A")
        + SearchVector("acronym", config=SIMPLE, weight="A")
        + SearchVector("weight_b", config=config, weight="B")
        + SearchVector("weight_c", config=config, weight="C")
        + SearchVector("weight_d", config=config, weight="D")
    )


class PostgresEngine(SearchEngine):
    transactional = True  # glossary.search.indexing writes in the saving transaction

    def term_index(self):
        return connections["default"].get_unified_index().get_index(Term)

    def other_indexes(self) -> dict[str, object]:
        indexes = connections["default"].get_unified_index().get_indexes()
        return {get_model_ct(model): index for model, index in indexes.items() if model is not Term}

    def _index_of(self, label: str):
        return self.term_index() if label == TERM_LABEL else self.other_indexes()[label]

    # --- Reading -------------------------------------------------------------------------------

    def _query(self, query: str, language: str) -> tuple[str, list[str]] | None:
        """(SQL of a tsquery, its parameters): every word, stemmed in the language or as an
        acronym; stop words only count when the query has nothing else (then as acronyms:
        "IT")."""
        words, acronyms = [], []
        config = configuration(language)
        for raw in query.split():
            lowered = strip_elision(raw.lower(), language)
            acronym = ("plainto_tsquery(%s::regconfig, %s)", [SIMPLE, fold(lowered)])
            if word_forms(raw.lower(), language):
                stemmed = [config, plain_text(lowered, language)]
                words.append(
                    (f"(plainto_tsquery(%s::regconfig, %s) || {acronym[0]})", stemmed + acronym[1])
                )
            else:
                acronyms.append(acronym)
        clauses = words or acronyms
        if not clauses:
            return None
        joiner = " && " if words else " || "
        return joiner.join(sql for sql, _params in clauses), [
            value for _sql, params in clauses for value in params
        ]

    def _ranked(self, query: str, language: str, kind: str | None) -> tuple[str, list] | None:
        """(SQL of `language`'s matches of `query`, best first: the HIT_FIELDS, then the
        total count, the rank and the model's label; its parameters), or None when the query
        has nothing to search. Written in SQL: the ORM took longer to compile such a query
        (5 ms) than PostgreSQL to run it (0.1 to 1 ms)."""
        search = self._query(query, language)
        if search is None:
            return None
        tsquery, params = search
        columns = ", ".join(f"d.{name}" for name in HIT_FIELDS)
        sql = (
            f"SELECT {columns}, count(*) OVER () AS total, "  # noqa: S608 - only %s placeholders
            "ts_rank(d.vector, q.query) AS rank, d.model_label "
            f"FROM glossary_searchdocument d, (SELECT {tsquery} AS query) q "
            "WHERE d.language = %s AND d.vector @@ q.query"
            + (" AND d.kind = %s" if kind is not None else "")
            + " ORDER BY rank DESC, d.model_label, d.object_id"
        )
        return sql, [*params, language, *([kind] if kind is not None else [])]

    def find(self, query, language, offset, limit, kind=None):
        ranked = self._ranked(query, language, kind)
        if ranked is None:
            return 0, []
        sql, params = ranked
        # One query: the page of hits, each with the total count (a window over the matches).
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            rows = cursor.fetchall()
            if not rows and offset:  # beyond the last page: the count alone
                cursor.execute(f"SELECT count(*) FROM ({sql}) matches", params)  # noqa: S608
                return cursor.fetchone()[0], []
        total = rows[0][len(HIT_FIELDS)] if rows else 0
        return total, [_hit(row) for row in rows]

    def first_pages(self, query, languages, limit, kind=None):
        """Every language's first page in one query: a union of `find`'s."""
        parts, params = [], []
        for number, language in enumerate(languages):
            ranked = self._ranked(query, language, kind)
            if ranked is not None:
                parts.append(f"SELECT %s AS part, m.* FROM ({ranked[0]} LIMIT %s) m")  # noqa: S608
                params += [number, *ranked[1], limit]
        pages: list[list[Hit]] = [[] for _language in languages]
        if not parts:
            return pages
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(f"({part})" for part in parts)
                + " ORDER BY part, rank DESC, model_label, object_id",
                params,
            )
            for row in cursor.fetchall():
                pages[row[0]].append(_hit(row[1:]))
        return pages

    def complete(self, prefixes, language, limit):
        rarest = max(prefixes, key=len)  # the longest prefix has the fewest words to walk
        others = [prefix for prefix in prefixes if prefix != rarest]
        # Each document's first qualifying label (name, acronym, synonyms), ranked as
        # Whoosh's label table ranks them (glossary.search.labels.label_rank): labels whose
        # first word starts with the first typed word, then the shortest; in one query.
        condition = "".join(" AND words LIKE %s" for _prefix in others)
        # The hits' fields come with them (a second, ORM query cost 0.6 ms).
        columns = ", ".join(f"d.{name}" for name in HIT_FIELDS)
        sql = (
            f"SELECT top.label, {columns} FROM ("  # noqa: S608 - only %s placeholders
            " SELECT document_id, label, words NOT LIKE %s AS later, length(label) AS size"
            " FROM (SELECT DISTINCT ON (document_id) document_id, label, words"
            " FROM glossary_searchlabel WHERE language = %s AND word LIKE %s"
            + condition
            + " ORDER BY document_id, preference) preferred"
            " ORDER BY later, size, label, document_id LIMIT %s) top "
            "JOIN glossary_searchdocument d ON d.id = top.document_id "
            "ORDER BY top.later, top.size, top.label, top.document_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    _like_prefix(f" {prefixes[0]}"),
                    language,
                    _like_prefix(rarest),
                    *(_like_prefix(f" {prefix}", anywhere=True) for prefix in others),
                    limit,
                ],
            )
            found = cursor.fetchall()
        return [(row[0], _hit(row[1:])) for row in found]

    def correct(self, query, language, max_edits):
        return dict(self.corrections(query, {language: max_edits}))[language]

    def corrections(self, query, edits):
        """Every language's correction in two queries, whatever the number of languages: the
        close words, then which of their combinations some document's labels hold."""
        raws = query.split()
        close = self._close_words([fold(raw) for raw in raws], edits)
        choices = {}
        for code in edits:
            options = [
                [raw] if fold(raw) in words else (words or [raw])
                for raw, words in zip(raws, close[code], strict=True)
            ]
            choices[code] = _combinations(options)
        # Several words: the first combination one document has, else the closest one.
        held = self._first_held(
            {code: combos for code, combos in choices.items() if len(raws) > 1 < len(combos)}
        )
        return [(code, " ".join(combos[held.get(code, 0)])) for code, combos in choices.items()]

    def _close_words(self, folded: list[str], edits: dict[str, int]) -> dict[str, list[list[str]]]:
        """For each language of `edits` ({language: most edits}) and each folded word: itself
        when a label has it, else up to CORRECTIONS words within that many edits (a swap of
        two letters is one), starting with the same letter, the closest first; in one query.

        Every such word of the vocabulary (SearchWord) is considered. Edits are counted by
        OSA (rapidfuzz's optimal string alignment: insertions, deletions, replacements and
        swaps of two neighbours). levenshtein_less_equal counts a swap as two edits, so a
        word within `max_edits` for OSA is within `max_edits` for Levenshtein, or is a swap
        of the word within `max_edits - 1` of it, or (two edits) two swaps of it: the query
        keeps those, and OSA judges them. A word still has to be in some label (SearchWord
        keeps the words of deleted labels until a rebuild).
        """
        most = max(edits.values())
        variants = [_swaps(word, most) for word in folded]
        # Swaps of long words are not listed (two swaps of a 200-letter word are 40,000
        # words): Levenshtein's bound alone keeps every candidate of those.
        listed = most <= 2
        with connection.cursor() as cursor:
            cursor.execute(
                # w: each word in each language (materialised, so that the planner looks
                # each one up in the indexes rather than sorting the whole label table).
                "WITH w AS MATERIALIZED (SELECT * FROM unnest(%s::text[], %s::text[], "
                " %s::text[], %s::bool[]) WITH ORDINALITY AS q(word, singles, doubles, listed, n) "
                " CROSS JOIN unnest(%s::varchar[], %s::int[]) AS e(language, edits)), "
                "known AS (SELECT language, n, word FROM w WHERE EXISTS ("
                " SELECT FROM glossary_searchlabel l WHERE l.language = w.language "
                " AND l.word = w.word)) "
                "SELECT language, n, word FROM known UNION ALL "
                "SELECT w.language, w.n, v.word FROM w "
                "JOIN glossary_searchword v ON v.language = w.language "
                "AND left(v.word, 1) = left(w.word, 1) "
                "AND length(v.word) BETWEEN length(w.word) - w.edits AND length(w.word) + w.edits "
                "AND length(w.word) <= %s - w.edits "
                "AND levenshtein_less_equal(v.word, w.word, 2 * w.edits) <= 2 * w.edits "
                "AND (NOT w.listed OR levenshtein_less_equal(v.word, w.word, w.edits) <= w.edits "
                " OR w.edits > 0 AND v.word = ANY(string_to_array(w.singles, ' ')) "
                " OR w.edits > 1 AND v.word = ANY(string_to_array(w.doubles, ' ')) "
                " OR w.edits > 1 AND EXISTS ("
                "  SELECT FROM unnest(string_to_array(w.singles, ' ')) AS s "
                "  WHERE levenshtein_less_equal(v.word, s, w.edits - 1) <= w.edits - 1)) "
                "WHERE NOT EXISTS (SELECT FROM known k WHERE k.language = w.language "
                " AND k.n = w.n) AND EXISTS ("
                " SELECT FROM glossary_searchlabel l WHERE l.language = v.language "
                " AND l.word = v.word)",
                [
                    folded,
                    [" ".join(singles) for singles, _doubles in variants],
                    [" ".join(doubles) for _singles, doubles in variants],
                    [listed and len(word) <= LISTED_SWAPS for word in folded],
                    list(edits),
                    list(edits.values()),
                    LEVENSHTEIN_MAX,  # less the edits: the words close to it no longer
                ],
            )
            found = {code: [set() for _word in folded] for code in edits}
            for code, number, word in cursor.fetchall():
                found[code][number - 1].add(word)
        close: dict[str, list[list[str]]] = {}
        for code, max_edits in edits.items():
            close[code] = []
            for word, candidates in zip(folded, found[code], strict=True):
                if word in candidates:
                    close[code].append([word])
                    continue
                scored = {
                    candidate: distance
                    for candidate in candidates
                    if (distance := OSA.distance(word, candidate, score_cutoff=max_edits))
                    <= max_edits
                }
                close[code].append(sorted(scored, key=lambda c: (scored[c], c))[:CORRECTIONS])
        return close

    def _first_held(self, choices: dict[str, list[tuple[str, ...]]]) -> dict[str, int]:
        """{language: the position of its first combination of words all found in the labels
        of one document}, for the languages that have one; in one query."""
        rows = [
            (code, " ".join(sorted(folded)), len(folded), number)
            for code, combos in choices.items()
            for number, words in enumerate(combos)
            for folded in [{fold(word) for word in words}]
        ]
        if not rows:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT ON (c.language) c.language, c.n "
                "FROM unnest(%s::text[], %s::text[], %s::int[], %s::int[]) AS c(language, words, "
                "size, n) WHERE EXISTS (SELECT FROM glossary_searchlabel l "
                " WHERE l.language = c.language AND l.word = ANY(string_to_array(c.words, ' ')) "
                " GROUP BY l.document_id HAVING count(DISTINCT l.word) = c.size) "
                "ORDER BY c.language, c.n",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return dict(cursor.fetchall())

    def documents(self, language):
        return dict(
            SearchDocument.objects.filter(language=language, model_label=TERM_LABEL).values_list(
                "object_id", "fingerprint"
            )
        )

    def expected_documents(self, language):
        index = self.term_index()
        with translation.override(language):
            return {
                term.pk: index.prepare(term)["fingerprint"]
                for term in index.index_queryset(using=language)
            }

    def ping(self):
        # One cheap query: the table and the configurations are there.
        SearchDocument.objects.filter(
            vector=SearchQuery("ping", config=configuration(language_codes()[0]))
        ).exists()

    # --- Writing -------------------------------------------------------------------------------

    def index(self, term_ids, languages=None):
        return self.index_documents(TERM_LABEL, term_ids, languages)

    def index_documents(self, label, ids, languages=None):
        ids = sorted({int(pk) for pk in ids})
        if not ids:
            return True
        index = self._index_of(label)
        model = apps.get_model(label)
        with transaction.atomic():
            # Wait for the writers of these rows, then read what they committed.
            list(model._base_manager.select_for_update().filter(pk__in=ids).values_list("pk"))
            for language in languages or language_codes():
                SearchDocument.objects.filter(
                    language=language, model_label=label, object_id__in=ids
                ).delete()
                rows = index.index_queryset(using=language).filter(pk__in=ids)
                self._write(index, label, language, rows)
        return True

    def rebuild(self, language):
        with transaction.atomic():
            SearchDocument.objects.filter(language=language).delete()
            # The vocabulary too: here only are the words of deleted labels dropped.
            SearchWord.objects.filter(language=language).delete()
            written = 0
            indexes = {TERM_LABEL: self.term_index(), **self.other_indexes()}
            for label, index in indexes.items():
                rows = index.index_queryset(using=language).iterator(chunk_size=CHUNK)
                written += self._write(index, label, language, rows)
        return written

    def refresh_vectors(self, language: str) -> int:
        """Recompute every vector of `language` from the stored texts (after changing the
        weights or a configuration), in one statement; returns the rows updated."""
        return SearchDocument.objects.filter(language=language).update(
            vector=vector_expression(language)
        )

    def _write(self, index, label: str, language: str, rows: Iterable) -> int:
        """Insert the documents of `rows` (already deleted) with their vectors and label words."""
        kind = getattr(index, "kind", TERM)
        written = 0
        with translation.override(language):
            batch: list[SearchDocument] = []
            for row in rows:
                batch.append(_document(index.prepare(row), label, kind, language))
                if len(batch) == CHUNK:
                    written += self._insert(batch, language)
                    batch = []
            written += self._insert(batch, language)
        return written

    def _insert(self, documents: list[SearchDocument], language: str) -> int:
        if not documents:
            return 0
        created = SearchDocument.objects.bulk_create(documents)
        SearchDocument.objects.filter(pk__in=[doc.pk for doc in created]).update(
            vector=vector_expression(language)
        )
        labels = SearchLabel.objects.bulk_create(
            [word for doc in created if doc.kind == TERM for word in _label_words(doc)]
        )
        # The words new to the language's vocabulary. Two writers may both add one: without a
        # unique constraint neither waits on the other, and a word stored twice is harmless.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO glossary_searchword (language, word) "
                "SELECT %s, w FROM unnest(%s::text[]) AS w WHERE NOT EXISTS ("
                "SELECT FROM glossary_searchword v WHERE v.language = %s "
                "AND left(v.word, 1) = left(w, 1) AND length(v.word) = length(w) AND v.word = w)",
                [language, sorted({label.word for label in labels}), language],
            )
        return len(created)


def _document(fields: dict, label: str, kind: str, language: str) -> SearchDocument:
    values = {name: fields.get(name) or "" for name in DOCUMENT_FIELDS}
    return SearchDocument(
        model_label=label,
        object_id=int(fields["django_id"]),
        language=language,
        kind=kind,
        **{name: values[name] for name in STORED_FIELDS},
        weight_a=plain_text(values["name"], language),
        weight_b=plain_text(values["labels"], language),
        weight_c=plain_text(f"{values['summary']}\n{values['deprecated']}", language),
        weight_d=plain_text(values["text"], language),
    )


STORED_FIELDS = (
    "name", "acronym", "synonyms", "deprecated", "summary", "slug", "url", "urls", "fingerprint",
)  # fmt: skip
DOCUMENT_FIELDS = (*STORED_FIELDS, "labels", "text")
# What a hit shows: never the vector nor its input texts (most of a row's bytes).
HIT_FIELDS = ("object_id", "language", "kind", *STORED_FIELDS)


def _label_words(document: SearchDocument) -> list[SearchLabel]:
    """The words of a term's name, acronym and admitted synonyms (as Whoosh's label table)."""
    labels = [document.name, document.acronym, *document.synonyms.split("\n")]
    rows = []
    for preference, label in enumerate(filter(None, dict.fromkeys(labels))):
        words = label_words(label)
        for word in set(words):
            rows.append(
                SearchLabel(
                    document=document,
                    language=document.language,
                    word=word,
                    preference=preference,
                    label=label,
                    words=" " + " ".join(words),
                    first=word == words[0],
                )
            )
    return rows


def _hit(row: tuple) -> Hit:
    """A hit from a row starting with the HIT_FIELDS (no model instance: that cost a quarter
    of a millisecond per page of hits)."""
    fields = dict(zip(HIT_FIELDS, row, strict=False))
    return Hit.from_stored(fields["object_id"], fields["language"], fields["kind"], fields)


def _combinations(options: list[list[str]], limit: int = 27) -> list[tuple[str, ...]]:
    """The words' combinations, closest first, at most `limit`."""
    return list(islice(product(*options), limit))


def _swaps(word: str, max_edits: int) -> tuple[set[str], set[str]]:
    """(the words one swap of two neighbouring letters away from `word`, and with two edits
    or more, those two swaps away)."""

    def swapped(text: str) -> set[str]:
        return {text[:i] + text[i + 1] + text[i] + text[i + 2 :] for i in range(len(text) - 1)}

    if len(word) > LISTED_SWAPS:
        return set(), set()
    singles = swapped(word) - {word} if max_edits > 0 else set()
    doubles = {two for one in singles for two in swapped(one)} if max_edits > 1 else set()
    return singles, doubles - singles - {word}


def _like_prefix(prefix: str, anywhere: bool = False) -> str:
    """A LIKE pattern for words starting with `prefix` (anywhere in the text: `anywhere`)."""
    escaped = re.sub(r"([\\%_])", r"\\\1", prefix)
    return f"%{escaped}%" if anywhere else f"{escaped}%"

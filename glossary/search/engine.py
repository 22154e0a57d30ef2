"""The search API of the site: views, the JSON API and commands call only these functions.

    search(query, language, page)  -> SearchPage (results, count, fallback, did_you_mean)
    suggest(query, language)       -> up to 10 names/acronyms/synonyms by prefix
    highlight(text, words, language) -> HTML with the matched words in <mark>

The visitor's input is parsed as plain words (glossary.search.analysis.query_words), capped
at MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words: no query syntax reaches an engine.
The Whoosh backend gets a direct path (one cached searcher, hand-built queries: a few ms);
any other haystack backend (Elasticsearch) goes through SearchQuerySet with the same rules.
"""

import difflib
import math
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from haystack import connections
from haystack.inputs import Clean
from haystack.query import SQ, SearchQuerySet
from whoosh import query as wq
from whoosh.collectors import TopCollector

from glossary.search import labels
from glossary.search.analysis import (
    WORD_PATTERN,
    WORDS,
    analyze,
    fold,
    query_words,
    word_forms,
)
from glossary.search.backends import GlossaryWhooshSearchBackend
from kb.core.languages import fallback_order, language_codes

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
PAGE_SIZE = 10
SUGGEST_LIMIT = 10
SUGGEST_MAX_PREFIX = 20  # letters of a typed word used as a prefix

# Fields analysed with the language's stemmer, and the folded-only acronym field.
TEXT_FIELDS = ("name", "labels", "summary", "text")
STORED = ("django_id", "name", "acronym", "synonyms", "summary", "slug", "url")


@dataclass
class Hit:
    pk: int
    name: str
    acronym: str
    slug: str
    url: str
    language: str  # the index the match was found in
    summary: str
    synonyms: list[str]
    matched_synonym: str = ""  # shown as "synonym → name" when only a synonym matched
    name_html: SafeString = SafeString("")
    summary_html: SafeString = SafeString("")


@dataclass
class SearchPage:
    query: str  # the cleaned query actually searched
    language: str
    count: int = 0
    page: int = 1
    num_pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    fallback: bool = False  # no match in `language`: hits come from the other languages
    did_you_mean: str | None = None
    exact: Hit | None = None  # a name/acronym/synonym equal to the query, in `language`

    per_page: int = PAGE_SIZE

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def clean_query(text: str | None) -> str:
    """The visitor's input as at most MAX_QUERY_WORDS plain words (long input is cut)."""
    return " ".join(query_words((text or "")[: MAX_QUERY_CHARS * 2], MAX_QUERY_WORDS))[
        :MAX_QUERY_CHARS
    ]


def search(text: str | None, language: str, page: int = 1, per_page: int = PAGE_SIZE):
    """Search `language`'s index; with no match there, the other languages; else suggest."""
    query = clean_query(text)
    result = SearchPage(query=query, language=language, page=max(1, page), per_page=per_page)
    if not query:
        return result
    engine = engine_for(language)
    count, hits = engine.search(query, (result.page - 1) * per_page, per_page)
    if count:
        result.exact = _exact_match(query, hits) if result.page == 1 else None
    else:
        hits = []
        for other in fallback_order(language):
            count, found = engine_for(other).search(query, 0, per_page)
            hits += found
        if hits:
            result.fallback = True
            hits = hits[:per_page]
            count = len(hits)
            _translate_urls(hits, language)
        else:
            result.did_you_mean = did_you_mean(query, language)
    result.count = count
    result.num_pages = math.ceil(count / per_page) if count else 0
    markers = {code: Highlighter(query, code) for code in {hit.language for hit in hits}}
    for hit in hits:
        _decorate(hit, query, markers[hit.language])
    result.hits = hits
    return result


def suggest(text: str | None, language: str, limit: int = SUGGEST_LIMIT) -> list[dict]:
    """Names, acronyms and synonyms starting with the typed words, best first."""
    query = clean_query(text)
    prefixes = [fold(word)[:SUGGEST_MAX_PREFIX] for word in query.split()]
    if not prefixes:
        return []
    return [
        {"label": label, "name": hit.name, "slug": hit.slug, "url": hit.url}
        for label, hit in engine_for(language).suggest(prefixes, limit)
    ]


def did_you_mean(query: str, language: str) -> str | None:
    """A spelling of `query` from the indexes' vocabulary that finds something, else None.

    The vocabulary is accent-folded; the words are given back as the glossary writes them
    ("nmero vert" -> "numéro vert").
    """
    for code in [language, *fallback_order(language)]:
        engine = engine_for(code)
        # Two edits in the visitor's language; one in the others (an automaton of two edits
        # over a 10,000-term vocabulary costs ~40 ms per word, one edit a few ms).
        candidate = engine.correct(query, max_edits=2 if code == language else 1)
        if candidate and fold(candidate) != fold(query):
            count, hits = engine.search(candidate, 0, 5)
            if count:
                return _restore_accents(candidate, hits)
    return None


def _restore_accents(candidate: str, hits: list[Hit]) -> str:
    spelled: dict[str, str] = {}
    for hit in hits:
        for text in (hit.name, hit.acronym, *hit.synonyms, hit.summary):
            for word in re.findall(WORD_PATTERN, text):
                spelled.setdefault(fold(word), word.lower() if not word.isupper() else word)
    return " ".join(spelled.get(fold(word), word) for word in candidate.split())


def highlight(text: str, query: str, language: str) -> SafeString:
    """`text`, escaped, with the words matching `query` (after folding/stemming) in <mark>."""
    return Highlighter(query, language).html(text)


class Highlighter:
    """Marks the words of texts that match one query; each distinct word is judged once."""

    def __init__(self, query: str, language: str) -> None:
        self.language = language
        self.forms = {form for word_forms_ in analyze(query, language) for form in word_forms_}
        self.folded = {fold(word) for word in query.split()}
        self.verdicts: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        verdict = self.verdicts.get(word)
        if verdict is None:
            verdict = fold(word) in self.folded or not self.forms.isdisjoint(
                word_forms(word.lower(), self.language)
            )
            self.verdicts[word] = verdict
        return verdict

    def html(self, text: str) -> SafeString:
        out = []
        position = 0
        for match in WORDS.finditer(text):
            if self.matches(match.group()):
                out.append(escape(text[position : match.start()]))
                out.append(f"<mark>{escape(match.group())}</mark>")
                position = match.end()
        out.append(escape(text[position:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above

    def count(self, text: str) -> int:
        return sum(self.matches(word) for word in WORDS.findall(text))


def stored_documents(language: str) -> dict[int, str]:
    """{term id: fingerprint} of every document in `language`'s index (for search_check)."""
    return engine_for(language).stored_documents()


# --- Engines ---------------------------------------------------------------------------------


def engine_for(language: str):
    if language not in language_codes():
        raise ValueError(f"unknown search language {language!r}")
    backend = connections[language].get_backend()
    if isinstance(backend, GlossaryWhooshSearchBackend):
        return WhooshEngine(backend, language)
    return HaystackEngine(language)


def union(queries: list) -> wq.Or:
    """An Or matched as a tree of unions: Whoosh's automatic choice preloads an array the
    size of the whole index for each clause on small indexes (slower for a top-10)."""
    query = wq.Or(queries)
    query.matcher_type = wq.Or.DEFAULT_MATCHER
    return query


def _hit(fields: dict, language: str) -> Hit:
    return Hit(
        pk=int(fields["django_id"]),
        name=fields.get("name") or "",
        acronym=fields.get("acronym") or "",
        slug=fields.get("slug") or "",
        url=fields.get("url") or "",
        language=language,
        summary=fields.get("summary") or "",
        synonyms=[s for s in (fields.get("synonyms") or "").split("\n") if s],
    )


class WhooshEngine:
    """Direct queries on the Whoosh index haystack manages (no per-query parsing or spelling)."""

    def __init__(self, backend: GlossaryWhooshSearchBackend, language: str) -> None:
        self.backend = backend
        self.language = language

    def search(self, query, offset, limit):
        searcher = self.backend.searcher()
        reader = searcher.reader()
        clauses, acronyms = [], []
        for raw in query.split():
            acronym = ("acronym", fold(raw))
            forms = word_forms(raw.lower(), self.language)
            if forms:
                # Only the terms the index has: each absent one is an empty branch that the
                # matcher would still visit for every document (a fifth of a query's time).
                terms = [(name, form) for name in TEXT_FIELDS for form in forms]
                present = [wq.Term(*term) for term in [*terms, acronym] if term in reader]
                if not present:
                    return 0, []  # a word no document has: no document has every word
                clauses.append(union(present))
            elif acronym in reader:
                acronyms.append(wq.Term(*acronym))  # a stop word may be an acronym ("IT")
        if not clauses:
            if not acronyms:
                return 0, []
            clauses = [union(acronyms)]
        # One pass that scores and counts: the default collector skips low-scoring blocks
        # and swaps in pruned matchers, so counting would need a second full pass.
        collector = TopCollector(limit=offset + limit, usequality=False, replace=0)
        searcher.search_with_collector(wq.And(clauses), collector)
        results = collector.results()
        hits = [_hit(results[i].fields(), self.language) for i in range(offset, len(results.top_n))]
        return len(results), hits

    def suggest(self, prefixes, limit):
        """Up to `limit` (matched label, hit) pairs, best first (glossary.search.labels)."""
        table = labels.table_for(self.backend.path, self.backend.searcher())
        return [
            (label, _hit(fields, self.language)) for label, fields in table.find(prefixes, limit)
        ]

    def correct(self, query, max_edits=2):
        searcher = self.backend.searcher()
        corrector = searcher.corrector("vocabulary")
        words = []
        for raw in query.split():
            folded = fold(raw)
            if searcher.doc_frequency("vocabulary", folded):
                words.append(raw)
                continue
            found = corrector.suggest(folded, limit=1, maxdist=max_edits, prefix=1)
            words.append(found[0] if found else raw)
        return " ".join(words)

    def stored_documents(self):
        searcher = self.backend.searcher()
        return {
            int(fields["django_id"]): fields.get("fingerprint", "")
            for fields in searcher.all_stored_fields()
        }


class HaystackEngine:
    """Any haystack backend (Elasticsearch...) through SearchQuerySet, same plain-word rules."""

    def __init__(self, language: str) -> None:
        self.language = language

    def _sqs(self):
        return SearchQuerySet(using=self.language)

    def search(self, query, offset, limit):
        sqs = self._sqs()
        for raw in query.split():
            clause = SQ(acronym=Clean(raw))
            for name in TEXT_FIELDS:
                clause |= SQ(**{name: Clean(raw)})
            sqs = sqs.filter(clause)
        count = sqs.count()
        hits = [
            _hit(r.get_stored_fields() | {"django_id": r.pk}, self.language)
            for r in sqs[offset : offset + limit]
        ]
        return count, hits

    def suggest(self, prefixes, limit):
        """Up to `limit` (matched label, hit) pairs, ranked as on Whoosh."""
        sqs = self._sqs()
        for prefix in prefixes:
            sqs = sqs.filter(vocabulary__startswith=Clean(prefix))
        ranked = []
        for result in sqs[: limit * 3]:  # the engine's best few, re-ranked by label
            hit = _hit(result.get_stored_fields() | {"django_id": result.pk}, self.language)
            best = labels.best_label([hit.name, hit.acronym, *hit.synonyms], prefixes)
            rank, label = best or ((True, len(hit.name), hit.name), hit.name)
            ranked.append((rank, label, hit))
        ranked.sort(key=lambda item: item[0])
        return [(label, hit) for _rank, label, hit in ranked[:limit]]

    def correct(self, query, max_edits=2):
        """Each unknown word replaced by the closest word of fuzzy-matching names/synonyms.

        Haystack's own spelling_suggestion needs INCLUDE_SPELLING, which then runs a
        suggestion pass on every query: exactly what this site avoids.
        """
        words = []
        for raw in query.split():
            results = list(self._sqs().filter(vocabulary__fuzzy=raw)[:5])
            spelled = {}
            for result in results:
                fields = result.get_stored_fields()
                for text in (fields.get("name"), fields.get("acronym"), fields.get("synonyms")):
                    for word in re.findall(WORD_PATTERN, text or ""):
                        spelled.setdefault(fold(word), word.lower())
            close = difflib.get_close_matches(fold(raw), list(spelled), n=1, cutoff=0.6)
            words.append(spelled[close[0]] if close else raw)
        return " ".join(words)

    def stored_documents(self):
        return {int(r.pk): r.fingerprint for r in self._sqs().all()}


# --- Presentation helpers --------------------------------------------------------------------


def _exact_match(query: str, hits: list[Hit]) -> Hit | None:
    wanted = fold(query)
    exact = [
        hit
        for hit in hits
        if wanted in {fold(label) for label in (hit.name, hit.acronym, *hit.synonyms) if label}
    ]
    return exact[0] if len(exact) == 1 else None


def _translate_urls(hits: list[Hit], language: str) -> None:
    """Fallback hits link to the term's page in the visitor's language (one query)."""
    from glossary.models import Term

    terms = Term.objects.in_bulk([hit.pk for hit in hits])
    for hit in hits:
        term = terms.get(hit.pk)
        if term is not None:
            hit.url = term.get_absolute_url(language)
            hit.slug = term.slug_for(language)


def _decorate(hit: Hit, query: str, marker: Highlighter) -> None:
    hit.name_html = marker.html(hit.name)
    hit.summary_html = marker.html(hit.summary)
    if "<mark>" not in hit.name_html and not _acronym_matches(hit, query):
        # The synonym that matched the most words ("virtual agents": "Virtual agent").
        marks = {synonym: marker.count(synonym) for synonym in hit.synonyms}
        best = max(marks, key=marks.get, default="")
        if best and marks[best]:
            hit.matched_synonym = best


def _acronym_matches(hit: Hit, query: str) -> bool:
    return bool(hit.acronym) and fold(hit.acronym) in {fold(w) for w in query.split()}

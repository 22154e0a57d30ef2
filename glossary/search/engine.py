"""The search interface: views, the JSON API and commands call only `get_engine()`'s methods.

    engine = get_engine()                 # the class named by settings.SEARCH_ENGINE
    engine.search(text, language, page, kind=None)
                                          -> SearchResult (a Django Page of hits, fallback,
                                             did-you-mean, the exact match); terms and the
                                             other kinds of content (knowledge-base articles)
                                             together, or one kind

    engine.suggest(text, language)        -> up to 10 names/acronyms/synonyms by prefix
    engine.index(term_ids)                -> those terms' documents written, or removed when
                                             the database no longer publishes them
    engine.index_documents(label, ids)    -> the same for another kind's rows ("articles.article")
    engine.rebuild(language)              -> one language's index rebuilt from the database
    engine.check(language), fix(report)   -> an index compared with the database, repaired
    engine.ping()                         -> raises unless every index can be searched
                                             (cheap: the site's /healthz calls it)

What every engine shares is here: the visitor's input is parsed as plain words
(glossary.search.analysis.query_words), capped at MAX_QUERY_CHARS characters and
MAX_QUERY_WORDS words, so no query syntax reaches an engine; a query finding nothing in the
visitor's language is run in the others, then corrected; hits are highlighted
(glossary.search.highlight). An engine subclasses SearchEngine and implements its abstract
methods: the Whoosh one is glossary.search.whoosh.WhooshEngine. One that can search or correct
several languages in one pass also overrides `first_pages` and `corrections`, which otherwise
call `find` and `correct` once per language (glossary.search.postgres.PostgresEngine does).

Other apps make their content searchable with a haystack SearchIndex of their own (e.g.
kb/articles/search_indexes.py) whose fields reuse the term index's names: `name` (a title,
weighted most), `summary`, `text` (the body), `slug`, `url`, `urls` (a JSON object of the
page's address per language) and `fingerprint`, and whose class names its `kind`. Nothing here
imports those apps: an engine finds them in haystack's unified index.
"""

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from glossary.models import Term
from glossary.search.analysis import query_words
from glossary.search.highlight import decorate, restore_accents
from kb.core.collation import fold
from kb.core.languages import fallback_order, language_codes, reading_order

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
PAGE_SIZE = 10
SUGGEST_LIMIT = 10
SUGGEST_MAX_PREFIX = 20  # letters of a typed word used as a prefix


TERM = "term"  # the kind of a term's hits; other kinds come from their index's `kind`


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
    deprecated: list[str] = field(default_factory=list)  # names not recommended
    matched_synonym: str = ""  # shown as "synonym → name" when only a synonym matched
    matched_deprecated: bool = False  # ... as "name (not recommended) → name" if deprecated
    name_html: SafeString = SafeString("")
    summary_html: SafeString = SafeString("")
    kind: str = TERM  # "term", or another kind's name ("article")
    urls: dict[str, str] = field(default_factory=dict)  # another kind's page per language

    @classmethod
    def from_stored(cls, pk: int, language: str, kind: str, fields: Mapping) -> "Hit":
        """A hit from an index's stored fields: name, acronym, slug, url and summary as text,
        synonyms and deprecated one per line, urls as JSON (missing ones empty)."""
        return cls(
            pk=pk,
            name=fields.get("name") or "",
            acronym=fields.get("acronym") or "",
            slug=fields.get("slug") or "",
            url=fields.get("url") or "",
            language=language,
            summary=fields.get("summary") or "",
            synonyms=[s for s in (fields.get("synonyms") or "").split("\n") if s],
            deprecated=[s for s in (fields.get("deprecated") or "").split("\n") if s],
            kind=kind,
            urls=json.loads(fields.get("urls") or "{}"),
        )


@dataclass
class SearchResult:
    query: str  # the cleaned query actually searched
    language: str
    page: Page  # Django's: this page's hits; page.paginator.count counts them all
    fallback: bool = False  # no match in `language`: hits come from the other languages
    did_you_mean: str | None = None
    exact: Hit | None = None  # a name/acronym/synonym equal to the query, in `language`
    kind: str | None = None  # the kind searched; None: every kind

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def hits(self) -> list[Hit]:
        return self.page.object_list


@dataclass
class CheckReport:
    language: str
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    stale: list[int] = field(default_factory=list)  # in both, with different text
    orphaned: list[int] = field(default_factory=list)  # in the index only
    pending: list[int] = field(default_factory=list)  # failed writes waiting for a retry

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned or self.pending)


def clean_query(text: str | None) -> str:
    """The visitor's input as at most MAX_QUERY_WORDS plain words (long input is cut)."""
    return " ".join(query_words((text or "")[: MAX_QUERY_CHARS * 2], MAX_QUERY_WORDS))[
        :MAX_QUERY_CHARS
    ]


def get_engine() -> "SearchEngine":
    """The site's search engine: an instance of settings.SEARCH_ENGINE, one per process."""
    return _engine(settings.SEARCH_ENGINE)


@cache
def _engine(path: str) -> "SearchEngine":
    return import_string(path)()


class SearchEngine(ABC):
    """One engine serving every language's index.

    Its public methods are the interface. An engine subclasses it, implements the abstract
    methods and is named by settings.SEARCH_ENGINE; removing a document is part of `index`,
    which re-reads each term and writes or removes its document accordingly.
    """

    # --- The interface ------------------------------------------------------------------------

    def search(
        self,
        text: str | None,
        language: str,
        page: int | str | None = 1,
        per_page: int = PAGE_SIZE,
        kind: str | None = None,
    ) -> SearchResult:
        """Search `language`'s index; with no match there, the other languages; else suggest a
        spelling. `page` is read as Paginator.get_page reads it: anything that is not a page
        number gives the first page, a number beyond the last page gives the last one. `kind`
        ("term", "article"...) keeps one kind of hit; None keeps them all.
        """
        _check_language(language)
        query = clean_query(text)
        matches = _Matches(self, query, language, per_page, kind)
        result = SearchResult(
            query, language, Paginator(matches, per_page).get_page(page), kind=kind
        )
        result.fallback = matches.fallback
        if query and not result.count:
            result.did_you_mean = self._did_you_mean(query, language)
        elif result.page.number == 1 and not result.fallback:
            result.exact = _exact_match(query, result.hits)
        decorate(result.hits, query)
        return result

    def suggest(self, text: str | None, language: str, limit: int = SUGGEST_LIMIT) -> list[dict]:
        """Names, acronyms and synonyms starting with the typed words, best first, as
        {"label": what matched, "name", "slug", "url"}."""
        _check_language(language)
        prefixes = [fold(word)[:SUGGEST_MAX_PREFIX] for word in clean_query(text).split()]
        if not prefixes:
            return []
        return [
            {"label": label, "name": hit.name, "slug": hit.slug, "url": hit.url}
            for label, hit in self.complete(prefixes, language, limit)
        ]

    def _did_you_mean(self, query: str, language: str) -> str | None:
        """A spelling of `query` from the indexes' vocabulary that finds something, else None.

        The vocabulary is accent-folded; the words are given back as the glossary writes them
        ("nmero vert" -> "numéro vert").
        """
        # Two edits in the visitor's language; one in the others (an automaton of two edits
        # over a 10,000-term vocabulary costs ~40 ms per word, one edit a few ms).
        edits = {code: 2 if code == language else 1 for code in reading_order(language)}
        for code, candidate in self.corrections(query, edits):
            if candidate and fold(candidate) != fold(query):
                count, hits = self.find(candidate, code, 0, 5)
                if count:
                    return restore_accents(candidate, hits)
        return None

    def corrections(self, query: str, edits: dict[str, int]) -> Iterable[tuple[str, str]]:
        """(language, `correct`'s answer there) for each language of `edits`, {language: most
        edits per word}, in its order, each computed when asked for. An engine able to
        correct every language at once overrides it."""
        for code, max_edits in edits.items():
            yield code, self.correct(query, code, max_edits)

    def check(self, language: str) -> CheckReport:
        """Compare one language's index with the database."""
        _check_language(language)
        expected, found = self.expected_documents(language), self.documents(language)
        return CheckReport(
            language,
            missing=[pk for pk in expected if pk not in found],
            stale=[pk for pk in expected if pk in found and found[pk] != expected[pk]],
            orphaned=[pk for pk in found if pk not in expected],
            pending=sorted(self.pending(language)),
        )

    def fix(self, report: CheckReport) -> bool:
        """Repair what `check` found, in one write; True when it was written."""
        ids = {*report.missing, *report.stale, *report.orphaned, *report.pending}
        return self.index(ids, [report.language]) if ids else True

    @abstractmethod
    def index(self, term_ids: Iterable[int], languages: Iterable[str] | None = None) -> bool:
        """Make these terms' documents agree with the database in `languages` (default: all):
        written when the term is published with text in that language, removed otherwise.

        Returns True when every language was written. A failure is logged and kept for a
        later retry, never raised: the save that caused it has already committed.
        """

    @abstractmethod
    def index_documents(
        self, label: str, ids: Iterable[int], languages: Iterable[str] | None = None
    ) -> bool:
        """`index` for another kind's rows: `label` is its model's ("articles.article")."""

    @abstractmethod
    def rebuild(self, language: str) -> int:
        """Replace `language`'s index by the database's terms; returns the documents written."""

    @abstractmethod
    def ping(self) -> None:
        """Raise unless every language's index can answer a search now; cheap enough to run
        on every health check (no query, no database)."""

    # --- What an engine implements for the methods above --------------------------------------

    @abstractmethod
    def find(
        self, query: str, language: str, offset: int, limit: int, kind: str | None = None
    ) -> tuple[int, list[Hit]]:
        """(number of documents having every word of the cleaned `query`, the hits from
        `offset`, best first), of one `kind` or of every kind."""

    def first_pages(
        self, query: str, languages: list[str], limit: int, kind: str | None = None
    ) -> list[list[Hit]]:
        """`find`'s first `limit` hits in each of `languages`, in that order. An engine able
        to search several languages at once overrides it."""
        return [self.find(query, code, 0, limit, kind)[1] for code in languages]

    @abstractmethod
    def complete(self, prefixes: list[str], language: str, limit: int) -> list[tuple[str, Hit]]:
        """Up to `limit` (matched label, hit) pairs whose label has a word starting with each
        of the folded `prefixes`, best first."""

    @abstractmethod
    def correct(self, query: str, language: str, max_edits: int) -> str:
        """`query` with each word the index does not know replaced by a close one it knows."""

    @abstractmethod
    def documents(self, language: str) -> dict[int, str]:
        """{term id: fingerprint} of every document in `language`'s index."""

    @abstractmethod
    def expected_documents(self, language: str) -> dict[int, str]:
        """{term id: fingerprint} of the documents the database gives for `language`."""

    def pending(self, language: str) -> set[int]:
        """Ids of the terms whose last write failed and waits for a retry."""
        return set()


def _check_language(language: str) -> None:
    if language not in language_codes():
        raise ValueError(f"unknown search language {language!r}")


class _Matches:
    """The hits of one query as Paginator reads them: counted with the first page (one pass),
    then sliced. With no match in the visitor's language, the first page of each other
    language's matches, linking to the term in the visitor's language."""

    def __init__(
        self, engine: SearchEngine, query: str, language: str, per_page: int, kind: str | None
    ) -> None:
        self.engine, self.query, self.language, self.per_page = engine, query, language, per_page
        self.kind = kind
        self.fallback = False
        self.first: list[Hit] | None = None  # the first page, read along with the count
        self.total = 0

    def find(self, language: str, offset: int, limit: int) -> tuple[int, list[Hit]]:
        if not self.query:
            return 0, []
        return self.engine.find(self.query, language, offset, limit, self.kind)

    def count(self) -> int:
        if self.first is None:
            self.total, self.first = self.find(self.language, 0, self.per_page)
            if self.query and not self.total:
                others = self.engine.first_pages(
                    self.query, fallback_order(self.language), self.per_page, self.kind
                )
                self.first = [hit for hits in others for hit in hits][: self.per_page]
                self.total, self.fallback = len(self.first), bool(self.first)
                _translate_urls(self.first, self.language)
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        self.count()
        if window.start == 0 and window.stop <= self.per_page:
            return self.first[: window.stop]
        return self.find(self.language, window.start, window.stop - window.start)[1]


def _exact_match(query: str, hits: list[Hit]) -> Hit | None:
    wanted = fold(query)
    exact = [
        hit
        for hit in hits
        if hit.kind == TERM
        and wanted
        in {
            fold(label)
            for label in (hit.name, hit.acronym, *hit.synonyms, *hit.deprecated)
            if label
        }
    ]
    return exact[0] if len(exact) == 1 else None


def _translate_urls(hits: list[Hit], language: str) -> None:
    """Fallback hits link to the term's page in the visitor's language (one query), other
    kinds to their page in that language when they have one."""
    for hit in hits:
        if hit.kind != TERM and hit.urls.get(language):
            hit.url = hit.urls[language]
    term_hits = [hit for hit in hits if hit.kind == TERM]
    if not term_hits:
        return
    terms = Term.objects.in_bulk([hit.pk for hit in term_hits])
    for hit in term_hits:
        term = terms.get(hit.pk)
        if term is not None:
            hit.url = term.get_absolute_url(language)
            hit.slug = term.slug_for(language)

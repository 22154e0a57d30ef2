"""Language analysis shared by indexing, querying and highlighting.

The same chain runs on the indexed text and on the visitor's words, so "numero" finds
"Numéro", "numéros" finds "numéro", "promotori" finds "promotore" and "l'esperienza" finds
"esperienza":

    words -> lower case -> elisions removed (l', d', dell'...) -> plural removed (French)
          -> Snowball stem -> accents folded

Stemming an accent-less word and folding a stemmed word can disagree ("surtaxe" vs
"surtaxé"), so each word yields both forms at the same position, and the query side asks
for either. Only `whoosh.analysis` and kb.core.collation's fold are imported here (no
Django), so the analyzers are pure and picklable: Whoosh stores them in the index's table of
contents.
"""

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from whoosh.analysis import Token, Tokenizer
from whoosh.lang import stemmer_for_language, stopwords_for_language

from kb.core.collation import fold

# Words, with inner apostrophes kept so that the elision filter can see "l'esperienza".
WORD_PATTERN = r"\w+(?:['’]\w+)*"
WORDS = re.compile(WORD_PATTERN)

# Elided articles and prepositions, removed with their apostrophe ("qu'un" -> "un").
ELISIONS = {
    "fr": {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"},
    "it": {
        "l", "d", "un", "dell", "dall", "nell", "all", "sull", "coll", "quest", "quell",
        "bell", "sant", "c", "v", "anch", "mezz", "nessun", "tutt",
    },
    "en": set(),
}  # fmt: skip


def strip_elision(word: str, language: str) -> str:
    """Remove a leading elided article: "l'esperienza" -> "esperienza"."""
    for apostrophe in ("'", "’"):
        if apostrophe in word:
            head, _sep, tail = word.partition(apostrophe)
            if head in ELISIONS.get(language, ()) and tail:
                return tail.replace("’", "'")
    return word


def singular(word: str, language: str) -> str:
    """French plural -> singular, which Snowball's French stemmer does not do ("numéros")."""
    if language != "fr" or len(word) < 4:
        return word
    if word.endswith(("eaux", "eux")) and len(word) > 4:
        return word[:-1]  # bureaux -> bureau, jeux -> jeu
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]  # numéros -> numéro, surtaxés -> surtaxé
    return word


@cache
def _stemmer(language: str):
    return stemmer_for_language(language)


@cache
def stopwords(language: str) -> frozenset[str]:
    """Articles, prepositions and auxiliaries: dropped at index and query time alike."""
    return frozenset(stopwords_for_language(language))


@lru_cache(maxsize=200_000)  # bounded: visitors' words must not grow memory forever
def word_forms(word: str, language: str) -> tuple[str, ...]:
    """The index terms of one lower-cased word: its stem folded, and its folded form stemmed.

    A stop word ("de", "the", "l'") has no form: it is neither indexed nor searched.
    """
    word = strip_elision(word, language)
    if word in stopwords(language):
        return ()
    word = singular(word, language)
    stem = _stemmer(language)
    stemmed = stem(word)
    folded = fold(word)
    first = fold(stemmed)
    second = stemmed if folded == word else stem(folded)  # one Snowball call when no accent
    return (first,) if first == second else (first, second)


class WordTokenizer(Tokenizer):
    """A text's words as index terms, in one pass: stemmed and folded for a language, or
    only folded (language None).

    One class instead of Whoosh's tokenizer | lowercase | filter chain, whose generator
    step per filter per word was a third of an index rebuild. Whoosh pickles analyzers
    into the index, hence the plain attributes and the equality on them.
    """

    def __init__(self, language: str | None = None) -> None:
        self.language = language

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.language))

    def terms(self, word: str) -> tuple[str, ...]:
        """The index terms of one lower-cased word."""
        if self.language:
            return word_forms(word, self.language)
        return (fold(word),)

    def words(self, text: str) -> list[str]:
        """All the index terms of `text`, as a list: what a call yields, at a fraction of
        the cost. The index writer takes such lists as already-analysed values."""
        terms = self.terms
        return [term for word in WORDS.findall(text) for term in terms(word.lower())]

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        matches = WORDS.finditer(value) if tokenize else [_Whole(value)]
        for number, match in enumerate(matches):
            word = match.group()
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + number
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            for term in self.terms(word.lower()):
                token.text = term
                yield token


class _Whole:
    """A match-like view of a whole value (Whoosh calls analyzers with tokenize=False)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def group(self) -> str:
        return self.value

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return len(self.value)


def language_analyzer(language: str) -> WordTokenizer:
    """The analyzer of full-text fields in `language` (fr, it, en)."""
    return WordTokenizer(language)


def folding_analyzer() -> WordTokenizer:
    """Words folded but not stemmed (acronyms, the "did you mean" vocabulary)."""
    return WordTokenizer()


def query_words(text: str, limit: int) -> list[str]:
    """The visitor's input as plain words: no operator, field or wildcard syntax survives.

    Lone surrogates and control characters are dropped; at most `limit` words are kept.
    """
    clean = text.encode("utf-8", "ignore").decode("utf-8", "ignore")
    return re.findall(WORD_PATTERN, clean)[:limit]


def analyze(text: str, language: str) -> list[tuple[str, ...]]:
    """Each word of `text` as its tuple of index forms (for building queries)."""
    forms = []
    for word in re.findall(WORD_PATTERN, text):
        lowered = word.lower()
        if lowered:
            forms.append(word_forms(lowered, language))
    return forms

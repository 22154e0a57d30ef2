"""Synthetic glossary text for the search benchmark: deterministic, language-flavoured."""

import random


def _words(text: str) -> list[str]:
    return text.split()


SYLLABLES = {
    "fr": _words(
        "ba be bi cha ché co cra dé di fa fo gé la lé li ma mé mo na né ni pa pé po ra ré ri sa "
        "sé so ta té to va vé vo qu tr pl"
    ),
    "it": _words(
        "ba be bi ca che chi co da de di fa fe fi la le li ma me mi na ne ni pa pe pi ra re ri "
        "sa se si ta te ti va ve vi gli gn"
    ),
    "en": _words(
        "ba be bi ca ce co da de di fa fe fo ga ge go la le lo ma me mo na ne no pa pe po ra re "
        "ro sa se so ta te to va ve vo th sh"
    ),
}
ENDINGS = {
    "fr": ["tion", "ment", "eur", "eurs", "ité", "age", "ique", "és", "ée", "aux", "ions"],
    "it": ["zione", "mento", "tore", "tori", "ità", "aggio", "ico", "ati", "ata", "enze"],
    "en": ["tion", "ment", "er", "ers", "ity", "age", "ic", "ed", "ing", "ness", "s"],
}
STOP = {
    "fr": ["le", "la", "les", "de", "des", "du", "et", "un", "une", "pour", "l'", "d'"],
    "it": ["il", "lo", "la", "le", "di", "dei", "e", "un", "una", "per", "l'", "dell'"],
    "en": ["the", "of", "and", "a", "an", "for", "to", "in", "with", "by"],
}


def vocabulary(language: str, size: int, seed: int = 7) -> list[str]:
    rng = random.Random(f"{seed}-{language}")
    words: dict[str, None] = {}
    syllables, endings = SYLLABLES[language], ENDINGS[language]
    while len(words) < size:
        stem = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3)))
        words[stem + rng.choice(endings)] = None
    return list(words)


def sentence(rng: random.Random, words: list[str], stop: list[str], length: int) -> str:
    out = []
    for _ in range(length):
        if rng.random() < 0.3:
            article = rng.choice(stop)
            out.append(article + rng.choice(words) if article.endswith("'") else article)
        else:
            out.append(rng.choice(words))
    return " ".join(out)


def terms(language: str, count: int, seed: int = 7) -> list[dict]:
    """`count` term texts: name, acronym, synonyms, hidden labels, summary, definition."""
    rng = random.Random(f"{seed}-{language}-terms")
    words = vocabulary(language, max(2000, count // 2), seed)
    stop = STOP[language]
    out = []
    for number in range(count):
        name_words = [rng.choice(words) for _ in range(rng.randint(1, 3))]
        name = " ".join(name_words).capitalize()
        acronym = "".join(w[0] for w in name_words).upper() if len(name_words) > 1 else ""
        out.append(
            {
                "key": f"synthetic-{number}",
                "name": f"{name} {number}",
                "slug": f"{language}-synthetic-{number}",
                "acronym": acronym,
                "synonyms": "\n".join(
                    " ".join(rng.choice(words) for _ in range(2)) for _ in range(rng.randint(0, 2))
                ),
                "hidden_labels": rng.choice(words) if rng.random() < 0.2 else "",
                "summary": sentence(rng, words, stop, rng.randint(8, 16)).capitalize() + ".",
                "definition": " ".join(
                    sentence(rng, words, stop, rng.randint(10, 20)).capitalize() + "."
                    for _ in range(rng.randint(2, 5))
                ),
            }
        )
    return out


def queries(language: str, terms_count: int, count: int = 50, seed: int = 11) -> list[str]:
    """Search queries: one or two words of the generated terms' vocabulary."""
    rng = random.Random(f"{seed}-{language}-queries")
    words = vocabulary(language, max(2000, terms_count // 2), 7)
    out = []
    for number in range(count):
        picked = [rng.choice(words) for _ in range(1 + number % 2)]
        out.append(" ".join(picked))
    return out


def prefixes(language: str, terms_count: int, count: int = 50, seed: int = 13) -> list[str]:
    """Autocomplete inputs: the first 2 to 6 letters of words of the generated terms."""
    rng = random.Random(f"{seed}-{language}-prefixes")
    words = vocabulary(language, max(2000, terms_count // 2), 7)
    return [word[: rng.randint(2, 6)] for word in rng.sample(words, count)]

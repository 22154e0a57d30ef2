"""Alphabetical order as readers of French, Italian and English expect it.

Accents and case do not decide the order ("Économie", "Ecran", "Entreprise"), ligatures
read as their letters, and ties are broken by the exact text so the order is stable.
"""

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case, accent-free form of `text` ("Numéro" -> "numero")."""
    if text.isascii():  # nothing to decompose: most words, and search folds every word shown
        return text.casefold()
    latin = text.translate(_LATIN)  # French and Italian letters: one table look-up each
    if latin.isascii():
        return latin.casefold()
    return decomposed_fold(text)


def decomposed_fold(text: str) -> str:
    """fold() by Unicode decomposition, for any text: what the shortcuts above must equal."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


# Each character of Latin-1 Supplement and Latin Extended-A and -B (U+0080-U+024F) mapped to
# its folded form, computed once: search folds every word of the hits it shows, and
# decomposing an accented word cost three times the table look-up.
_LATIN = str.maketrans({code: decomposed_fold(chr(code)) for code in range(0x80, 0x250)})


def sort_key(text: str) -> tuple[str, str]:
    """Key for sorted(): folded text first, then the exact text to break ties."""
    folded = fold(text)
    # Leading punctuation ("« Best-of-breed »", "e-CRM") should not decide the position.
    stripped = folded.lstrip(" \"'«»-_.()[]")
    return (stripped or folded, text)


def initial(text: str) -> str:
    """The letter under which `text` is filed: A-Z, or '#' for digits and symbols."""
    key = sort_key(text)[0]
    first = key[:1].upper()
    return first if "A" <= first <= "Z" else "#"

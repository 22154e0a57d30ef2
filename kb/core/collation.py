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
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


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

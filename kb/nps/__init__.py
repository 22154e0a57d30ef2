"""The NPS calculator (kb.nps): pure scoring modules, then the page, the API and the command."""

from kb.nps.scoring import *  # noqa: F403 - transitional, replaced by the split modules
from kb.nps.scoring import __all__  # noqa: F401

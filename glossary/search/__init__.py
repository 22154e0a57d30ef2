"""Search for the glossary: views, the JSON API and commands call one engine interface.

- engine: the interface (SearchEngine, get_engine) and what every engine shares: query
  cleaning, the fallback to other languages, did-you-mean, pagination, the index check.
- whoosh: the engine of settings.SEARCH_ENGINE: Whoosh indexes managed by haystack, their
  writes under file locks, retried and journaled.
- backends: haystack's Whoosh backend, corrected (analysers, locks, one-segment rebuilds).
- analysis: word forms: elisions, French plurals, Snowball stemming, accent folding (pure).
- labels: autocomplete on Whoosh, a sorted table of each index's labels.
- highlight: matched words in <mark>, the matched synonym, accents of a corrected query.
- indexing: index writes scheduled after the commit of each saved or deleted term.
- routers: haystack reads the active language's index and writes every language's.
- views, api: the search page and the /api/v1/search and /api/v1/suggest endpoints.
"""

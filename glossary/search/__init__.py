"""Search for the glossary: everything the site does with search goes through this package.

- config: the haystack connections, read from the environment (used by kb/settings.py).
- analysis: accent/case folding, elisions, French plurals and Snowball stemming (pure).
- backends: haystack engines: Whoosh with our analyzers, one segment, no silent failure;
  Elasticsearch with per-language analyzers.
- bulk: rebuilds a Whoosh index in one segment, its writer in a second process.
- engine: the only API views, the JSON API and commands call: search, suggest,
  did-you-mean, highlighting, with a fast path for Whoosh and a generic haystack path.
- labels: autocomplete on Whoosh, a sorted table of each index's labels.
- indexing: keeps the three language indexes equal to the database (after commit, under a
  file lock, retried, logged) and checks/repairs them (search_check).
"""

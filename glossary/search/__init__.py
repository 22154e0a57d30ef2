"""Search for the glossary: everything the site does with search goes through this package.

- config: the haystack connections, read from the environment (used by kb/settings.py).
- analysis: accent/case folding, elisions, French plurals and Snowball stemming (pure).
- backends: haystack engines: Whoosh with our analyzers, one segment, no silent failure;
  Elasticsearch with per-language analyzers.
- engine: the only API views, the JSON API and commands call: search, suggest,
  did-you-mean, highlighting, with a fast path for Whoosh and a generic haystack path.
- indexing: keeps the three language indexes equal to the database (after commit, under a
  file lock, retried, logged) and checks/repairs them (search_check).
"""

"""CACHE_URL: which cache the site shares between its processes (settings.CACHES["default"]).

- unset or empty: a file cache in `default_dir`, shared by the processes of one machine;
- `file:///absolute/path`: a file cache in that directory;
- `redis://[:password@]host[:port][/db]` (or `rediss://` over TLS): Django's own Redis backend
  (redis-py), shared by every machine that reaches the server;
- `db://` or `db://table_name`: Django's database cache, in table `kb_cache` or the one named
  (`manage.py createcachetable` makes it; `make setup` runs it);
- `locmem://`: memory of one process only (tests, experiments; never with several workers).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_TABLE = "kb_cache"
_PASSWORD = re.compile(r"//([^/@:]*):[^/@]*@")
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def cache_from_url(value: str, default_dir: Path | str, variable: str = "CACHE_URL") -> dict:
    """The CACHES["default"] entry for `value`; ImproperlyConfigured naming `variable` and
    the accepted forms when the value is not one of them."""
    value = (value or "").strip()
    if not value:
        return _file_cache(str(default_dir))
    try:
        parts = urlsplit(value)
        port = parts.port  # parses it: ValueError when it is not a number
    except ValueError as error:
        raise _bad(variable, value, str(error)) from None
    scheme = parts.scheme.lower()
    if scheme in ("redis", "rediss"):
        if not parts.hostname:
            raise _bad(variable, value, "a Redis URL needs a host")
        database = parts.path.strip("/")
        if database and not database.isdigit():
            raise _bad(variable, value, "the Redis database must be a number, e.g. /0")
        if port is not None and not 0 < port < 65536:
            raise _bad(variable, value, "the port must be between 1 and 65535")
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
    if scheme == "db":
        table = parts.netloc or parts.path.strip("/") or DEFAULT_TABLE
        if not _TABLE_NAME.match(table):
            raise _bad(variable, value, "the table name may hold letters, digits and _ only")
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if scheme == "file":
        if not parts.path.startswith("/") or parts.netloc:
            raise _bad(variable, value, "a file cache needs an absolute path: file:///var/cache/kb")
        return _file_cache(parts.path)
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise _bad(variable, value, "unknown kind of cache")


def _file_cache(location: str) -> dict:
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": location}


def _bad(variable: str, value: str, reason: str) -> ImproperlyConfigured:
    shown = _PASSWORD.sub(r"//\1:***@", value)  # never print a password into logs
    return ImproperlyConfigured(
        f"{variable}={shown!r} is not a cache URL ({reason}). Use redis://host:port/db, "
        "db:// or db://table_name, file:///absolute/path, locmem://, or leave it unset for the "
        "file cache of this machine."
    )

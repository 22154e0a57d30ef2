"""Gunicorn's settings for production: `gunicorn -c kb/gunicorn.conf.py kb.wsgi`.

Each value can be changed from the environment (see README, "Production"); a command-line
option given to gunicorn wins over this file.

The site is meant to run behind an HTTPS reverse proxy (nginx, a load balancer, a platform's
router) that forwards plain HTTP to gunicorn.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Where to listen. GUNICORN_BIND ("host:port", "unix:/run/kb.sock", or several separated by
# commas) wins; else PORT, as platforms set it, on every interface (gunicorn's own rule);
# else 127.0.0.1:8000, reachable only by a proxy on the same machine. In a container, set
# GUNICORN_BIND=0.0.0.0:8000 (or PORT=8000).
if os.environ.get("GUNICORN_BIND", "").strip():
    bind = [part.strip() for part in os.environ["GUNICORN_BIND"].split(",") if part.strip()]
elif os.environ.get("PORT", "").strip():
    bind = [f"0.0.0.0:{_int('PORT', 8000)}"]  # noqa: S104 - asked for by setting PORT
else:
    bind = ["127.0.0.1:8000"]

# Synchronous worker processes: each serves one request at a time, and pages take
# milliseconds. The usual 2 x cores + 1, capped at 8 so that a large machine does not start
# dozens of processes for a site this size (each holds its own search readers, a few MB).
workers = _int("WEB_CONCURRENCY", min(2 * _cores() + 1, 8))

# A worker silent for this many seconds is killed and replaced (a stuck request); on a restart
# or shutdown, workers get graceful_timeout seconds to finish the requests they hold.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Each worker is replaced after about this many requests, which bounds the memory a slow leak
# could take; the jitter keeps the workers from restarting all at once. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10)

# Request limits: a request line (method, path and query string) of at most 8190 bytes, the
# largest gunicorn allows besides "unlimited" and what nginx accepts by default (the NPS
# calculator carries pasted scores in its URL); at most 100 headers of at most 8190 bytes.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The addresses whose X-Forwarded-Proto/-For headers gunicorn believes: the proxy's. The
# default trusts a proxy on the same machine; set FORWARDED_ALLOW_IPS to the proxy's address
# (comma-separated, CIDR ranges allowed) when it runs elsewhere. "*" trusts any client, so
# only use it when nothing but the proxy can reach gunicorn. (Django decides what is HTTPS
# from X-Forwarded-Proto itself: settings.SECURE_PROXY_SSL_HEADER.)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs: one access line per request on stdout (with its duration in ms), errors on stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

proc_name = "crm-glossary"
# Workers' heartbeat files in memory, not on a disk that may be slow (containers' overlays).
# (A private file per worker that gunicorn creates and unlinks itself.)
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

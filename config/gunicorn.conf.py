"""gunicorn's settings for `make serve` (gunicorn --config config/gunicorn.conf.py config.wsgi).

Each worker is one process serving one request at a time, with one persistent database
connection (CONN_MAX_AGE), so PostgreSQL sees at most WEB_CONCURRENCY connections from
it, whatever the traffic. With GUNICORN_THREADS above 1, each worker serves that many
requests at once in threads (gunicorn's gthread workers, which keep connections alive):
pages from the cache mostly wait on PostgreSQL and Redis, which threads overlap; use
DATABASE_POOL=True then. The README's deployment section explains each variable.
"""

import multiprocessing
import os

bind = f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"
# gunicorn reads WEB_CONCURRENCY itself too; 2 per core plus one by default.
workers = int(os.getenv("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# More than 1: gthread workers (gunicorn switches to them by itself).
threads = int(os.getenv("GUNICORN_THREADS", "1"))
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Requests and errors on stderr, beside Django's log (config/settings.py LOGGING).
accesslog = "-"
errorlog = "-"
loglevel = os.getenv("LOG_LEVEL", "info").lower()
# A worker is replaced after this many requests, so a slow leak cannot grow.
max_requests = 2000
max_requests_jitter = 200

"""Gunicorn settings for the app (the Dockerfile runs `gunicorn -c gunicorn.conf.py ...`).

Threaded workers, so that a long download is never cut off. A sync worker tells the arbiter it
is alive only between requests, so a request that outlasts `timeout` (30 s by default) gets the
worker killed mid-response: a slow client's million-row CSV export ended truncated after its
200 status. A gthread worker serves requests from a pool of threads while its main loop keeps
telling the arbiter it is alive every second, so `timeout` only catches a worker that has
hung, however long one response takes to send. The sends themselves have no time limit: the
export streams from the database as fast as the client reads.

Command-line options override these (the tests start it with `-t 2` and their own bind).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
# Processes: CPU-bound work (pages, imports) runs in parallel across them.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads per process: a slow download holds one, not a whole worker.
threads = 4
# Seconds without a heartbeat from a worker's main loop before it is restarted: a hang, not a
# long request.
timeout = 30
# On a restart, in-flight requests (downloads included) get this long to finish.
graceful_timeout = 120
accesslog = "-"
# Nothing here uses gunicornc, and servers on one host would share the socket's default path.
control_socket_disable = True


# Garbage cycles (a page's records and their querysets point at each other) are collected
# between requests, once this many objects have piled up since the last collection.
COLLECT_AFTER = 10_000


def post_worker_init(worker):
    """The application loaded, its long-lived objects (modules, models, URL patterns, compiled
    templates) are moved out of the cycle collector's reach, and collection mostly waits for
    the end of a request (post_request). A page's objects live as long as the request, so the
    collector promoted them to its oldest generation, where they died in cycles and waited
    for a full collection: one request in twenty paused 25-50 ms for it (measured at a
    million tenures, ?recorded= p95 96 -> 77 ms with collections between requests)."""
    import gc

    gc.collect()
    gc.freeze()
    # Within a request only a safety net, for a request that allocates without end.
    gc.set_threshold(100_000, 10, 10)


def post_request(worker, req, environ, resp):
    """Collect once the response is sent (gthread: after its last byte is written)."""
    import gc

    if gc.get_count()[0] > COLLECT_AFTER:
        gc.collect()

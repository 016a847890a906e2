"""gunicorn settings for `make serve`. Override any of them with GUNICORN_CMD_ARGS."""

import os

bind = os.environ.get("ASSESS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ASSESS_WORKERS", "2"))
# One thread a worker: the app is CPU-bound, and threads of one process contending for the
# GIL served the wizard at less than half the rate (make bench). Scale with workers instead.
threads = int(os.environ.get("ASSESS_THREADS", "1"))
worker_class = "gthread"
# A full PDF report takes a few seconds to render on a small machine; leave ample room.
timeout = int(os.environ.get("ASSESS_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows without bound (rarely: a
# restart reloads the bank and stalls the requests queued behind it).
max_requests = 50000
max_requests_jitter = 5000
accesslog = os.environ.get("ASSESS_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("ASSESS_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the reverse proxy on this host.
forwarded_allow_ips = os.environ.get("ASSESS_FORWARDED_ALLOW_IPS", "127.0.0.1")

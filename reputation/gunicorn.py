"""gunicorn's settings (`gunicorn -c python:reputation.gunicorn`), from the environment.

The timeout agrees with REQUEST_FETCH_BUDGET (settings refuse a budget within 5 s of
it): a page that fetches for a person answers before gunicorn would kill its worker.
"""

import gc
import os

from django.urls import get_resolver
from django.utils import translation

bind = os.getenv("WEB_BIND", "0.0.0.0:8000")
workers = int(os.getenv("WEB_WORKERS", "3"))
timeout = int(os.getenv("WEB_TIMEOUT", "30"))
accesslog = "-"


def post_worker_init(worker) -> None:
    """Load once what every page needs (the URLs and their views, both languages'
    translations), then freeze it out of the garbage collector: the objects a worker
    keeps for its whole life are no longer walked by every full collection. Measured
    on bench load's pages (README "Load"): full collections went from 1.6 to 0.7 ms of
    CPU per request."""
    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    for language in ("fr", "en"):
        translation.activate(language)
    translation.deactivate()
    gc.freeze()

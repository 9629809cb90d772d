"""gunicorn's settings (`gunicorn -c python:reputation.gunicorn`), from the environment.

The timeout agrees with REQUEST_FETCH_BUDGET (settings refuse a budget within 5 s of
it): a page that fetches for a person answers before gunicorn would kill its worker.
"""

import os

bind = os.getenv("WEB_BIND", "0.0.0.0:8000")
workers = int(os.getenv("WEB_WORKERS", "3"))
timeout = int(os.getenv("WEB_TIMEOUT", "30"))
accesslog = "-"

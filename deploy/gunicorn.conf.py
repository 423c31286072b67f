"""gunicorn settings for Credence's web workers (deploy/run-team.sh and the Procfile use them)."""

import gc
import os
from typing import Any

from gunicorn.glogging import Logger


class RequestsLoggedByTheApp(Logger):
    """gunicorn's logger without its access line: the app writes one per request (annotator.request_log).
    gunicorn otherwise gathers the access line's fields for every request once a log configuration is
    given (below), even with no access log to write them to."""

    @property
    def access_log_enabled(self) -> bool:
        return False


def post_worker_init(worker: Any) -> None:
    """Once the worker has loaded the app: import the URL modules and their views too (Django does at the first
    request), then take every object alive (about 125,000, Django's and the app's) out of the garbage
    collector's passes. A full pass otherwise walks them all: 50 to 60 ms in the middle of one request in a
    few hundred, for no garbage, since they live as long as the worker."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  # the attribute's reading imports them
    gc.freeze()


wsgi_app = "core.wsgi:application"
bind = os.environ.get("WEB_BIND", "127.0.0.1:8001")  # loopback: only the reverse proxy talks to it
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 120  # a streamed export must finish within it; longer ones run as background jobs
graceful_timeout = 30
accesslog = None  # the app logs one line per request (annotator.request_log)
logger_class = RequestsLoggedByTheApp

if os.environ.get("LOG_FORMAT", "json") == "json":
    # gunicorn's own lines (start, stop, a worker killed) in the same JSON shape as the app's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter",
                                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
                                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
    }

"""One log line per HTTP request, and the request id on every log record written while it is answered."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("annotator.request")

# The id the reverse proxy sent (nginx's $request_id) if it looks like one, else a new one; echoed back to
# the client so a user's report can be matched with the log.
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (None outside a request) to every record, for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current_request_id.get()
        return True


class RequestLogMiddleware:
    """Logs method, path, status, duration, user id and request id once the response is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        # Not reset when the view returns: Django logs 4xx/5xx answers, and a streamed body is written, after
        # this middleware is done; the next request in this thread replaces the id.
        _current_request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        # Until the response starts: a streamed body (an export) is sent after this line is written.
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request_id
        # DRF puts the token's user on the request too, so API calls are attributed like page views.
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        logger.info("%s %s %s %.1fms", request.method, request.path, response.status_code, duration_ms,
                    extra={"user_id": user_id, "method": request.method, "path": request.path,
                           "status": response.status_code, "duration_ms": duration_ms})
        return response

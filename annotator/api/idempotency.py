"""The Idempotency-Key request header on API writes: a retried request never lands twice.

A client may send ``Idempotency-Key: "<unique value>"`` (a UUID, say) on the writes decorated with
@idempotent. The first request runs and its successful response is stored with the key for
IDEMPOTENCY_KEY_TTL_HOURS; a retry with the same key and the same request gets that response again
(header ``Idempotent-Replayed: true``) without writing; the same key with a different request answers 422
``idempotency_key_reused``; a retry while the first is still running answers 409
``idempotency_key_in_flight``. Error responses are not stored: the request changed nothing, and a retry
runs it again.
"""

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.api.renderers import as_sent
from annotator.services import idempotency

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("ETag", "Location")
PARAMETER = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=False,
    description="A unique value per write (e.g. a UUID); a retry with the same value and body is answered with "
                "the first response instead of writing again.",
)


def parse_key(raw: str) -> str:
    """The key of the header: a structured-field string ("...") or a bare value, 1 to 255 printable ASCII."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not 1 <= len(value) <= 255 or not all(" " <= ch <= "~" for ch in value):
        raise serializers.ValidationError({HEADER: ["must be 1 to 255 printable ASCII characters, e.g. a UUID."]})
    return value


def fingerprint(request: Request) -> str:
    """SHA-256 of what makes two requests the same: method, path with query, If-Match and the parsed body."""
    data = request.data
    if hasattr(data, "lists"):  # form fields: a QueryDict keeps repeated names
        data = sorted(data.lists())
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    parts = [request.method or "", request.get_full_path(), request.headers.get("If-Match", ""), body]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Make an APIView write method honour the Idempotency-Key header (the user is authenticated by then)."""

    @extend_schema(parameters=[PARAMETER])
    @functools.wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        raw = request.headers.get(HEADER)
        if raw is None:
            return handler(view, request, *args, **kwargs)
        claim = idempotency.claim_key(user=request.user, key=parse_key(raw), fingerprint=fingerprint(request))
        if isinstance(claim, idempotency.StoredResponse):
            return Response(claim.body, status=claim.status, headers={**claim.headers, "Idempotent-Replayed": "true"})
        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if response.status_code < 400:
                    headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
                    idempotency.complete_key(claim=claim, status=response.status_code,
                                             body=as_sent(response.data), headers=headers)
                    return response
        except BaseException:
            idempotency.release_key(claim=claim)
            raise
        idempotency.release_key(claim=claim)
        return response

    return wrapper

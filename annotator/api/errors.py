"""One JSON error shape for the whole API: {"code", "message", "field", "errors"}.

Domain errors from services become 400/409/412 with their field and code; DRF's validation errors keep
their per-field messages under "errors" and name the first field; 404 never says whether a thing exists.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from annotator.errors import DomainError


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the version you edited (or a 'version' field)."
    default_code = "precondition_required"


def _first_field(detail: Any, prefix: str = "") -> str | None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":
                return prefix.rstrip(".") or None
            name = f"{prefix.rstrip('.')}[{key}]" if isinstance(key, int) else f"{prefix}{key}"
            return _first_field(value, f"{name}.") or name
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            if value:
                nested = _first_field(value, f"{prefix.rstrip('.')}[{index}].")
                if nested:
                    return nested
    return None


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list):
        for value in detail:
            if value:
                return _first_message(value)
    return str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": exc.message, "field": exc.field, "errors": {}}
        if exc.field:
            body["errors"] = {exc.field: [exc.message]}
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        field = _first_field(detail)
        message = _first_message(detail)
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = {
            "code": "invalid",
            "message": f"{field}: {message}" if field else message,
            "field": field,
            "errors": errors,
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "message": str(exc.detail),
            "field": None,
            "errors": {},
        }
    return response


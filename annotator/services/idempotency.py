"""Idempotency keys of API writes: claim a key for a request, store its response, or give the stored one back.

Semantics of draft-ietf-httpapi-idempotency-key-header: the same key with the same request replays the
first response (the write happens once); the same key with another request is refused (422); a key whose
first request is still running is refused (409). Keys belong to one user and expire after
IDEMPOTENCY_KEY_TTL_HOURS.
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.errors import IdempotencyKeyInFlight, IdempotencyKeyReused
from annotator.models import IdempotencyKey


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


def _expired_before() -> Any:
    return timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)


def claim_key(*, user: AbstractBaseUser, key: str, fingerprint: str) -> IdempotencyKey | StoredResponse:
    """Hold ``key`` for a new request (the row), or return the response stored for the same request.

    Runs in its own transaction, committed before the request's work starts, so that a simultaneous
    request with the same key sees it. A key held for more than IDEMPOTENCY_LOCK_SECONDS belongs to a
    request that died: its work was rolled back with it (see complete_key), so a retry may take it over.
    Raises IdempotencyKeyReused (422) or IdempotencyKeyInFlight (409).
    """
    IdempotencyKey.objects.filter(user=user, created_at__lt=_expired_before()).delete()
    for _ in range(3):  # a key released between our insert and our read is simply claimed again
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint,
                                                     lock=secrets.token_hex(16))
        except IntegrityError:
            pass
        held = IdempotencyKey.objects.filter(user=user, key=key).first()
        if held is None:
            continue
        if held.fingerprint != fingerprint:
            raise IdempotencyKeyReused("this Idempotency-Key was used for a different request; use a new key.",
                                       field="Idempotency-Key")
        if held.is_complete:
            return StoredResponse(status=held.response_status or 200, body=held.response_body,
                                  headers=held.response_headers)
        abandoned = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS)
        if held.locked_at < abandoned:
            lock, now = secrets.token_hex(16), timezone.now()
            if IdempotencyKey.objects.filter(pk=held.pk, lock=held.lock, is_complete=False).update(
                    lock=lock, locked_at=now):
                held.lock, held.locked_at = lock, now
                return held
        break
    raise IdempotencyKeyInFlight("a request with this Idempotency-Key is still being processed; retry later.",
                                 field="Idempotency-Key")


def complete_key(*, claim: IdempotencyKey, status: int, body: Any, headers: Mapping[str, str]) -> None:
    """Store the response of the request that holds ``claim``.

    Call it inside the transaction of the request's writes: if another request took the key over meanwhile,
    this raises IdempotencyKeyInFlight and the writes roll back, so a request's work lands at most once.
    """
    stored = IdempotencyKey.objects.filter(pk=claim.pk, lock=claim.lock, is_complete=False).update(
        is_complete=True, response_status=status, response_body=body, response_headers=dict(headers))
    if not stored:
        raise IdempotencyKeyInFlight("this Idempotency-Key was taken over by a retry; nothing was saved.",
                                     field="Idempotency-Key")


def release_key(*, claim: IdempotencyKey) -> None:
    """Give the key up after a request that changed nothing (an error): a retry runs it again."""
    IdempotencyKey.objects.filter(pk=claim.pk, lock=claim.lock, is_complete=False).delete()

"""Idempotency keys of API writes (draft-ietf-httpapi-idempotency-key-header): one row per user and key."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key: held while its request runs, then the response that a retry gets again.

    Stored in the database, so every web worker sees it; the unique constraint decides which of two
    simultaneous requests with the same key runs.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path, If-Match and body.")
    lock = models.CharField(max_length=32, help_text="Random token of the request that holds the key.")
    locked_at = models.DateTimeField(default=timezone.now)
    is_complete = models.BooleanField(default=False)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({'complete' if self.is_complete else 'in flight'})"

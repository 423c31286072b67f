"""What every background job's JSON shows (its status, times and error); each kind's resource adds its own."""

from django.urls import reverse
from rest_framework import serializers, status
from rest_framework.response import Response

from annotator.models.jobs import BackgroundJob


class JobOutput(serializers.ModelSerializer):
    """Subclasses set ``url_name``, the route of one job, and their model and fields in Meta."""

    url_name = ""
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        fields = ["id", "url", "status", "error", "requested_by", "created_at", "started_at", "finished_at"]

    def get_url(self, job: BackgroundJob) -> str:
        return reverse(self.url_name, args=[job.project_id, job.pk])  # type: ignore[attr-defined]  # on each kind


def accepted(job: JobOutput) -> Response:
    """202 Accepted for a queued job: its JSON, and its URL to poll in ``Location``."""
    body = job.data
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

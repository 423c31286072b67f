"""The project's source registry: who says things (people, agencies, outlets), with aliases."""

from django.db import models
from django.db.models.functions import Lower

from annotator.models.history import HistoricalRecords
from annotator.models.projects import Project


class SourceKind(models.TextChoices):
    GOVERNMENT = "government", "Government"
    MILITARY = "military_intelligence", "Military or intelligence"
    SPOKESPERSON = "spokesperson", "Spokesperson"
    MEDIA = "media", "Media"
    EXPERT = "expert_academic", "Expert or academic"
    OTHER = "other", "Other"


class Source(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(max_length=200, help_text="Canonical name.")
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.OTHER)
    description = models.TextField(blank=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names for the same source.")
    affiliation = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            # "Politico" and "politico" are one source, even when two requests race to create it.
            models.UniqueConstraint("project", Lower("name"), name="source_name_unique_ignoring_case"),
            models.CheckConstraint(condition=models.Q(kind__in=SourceKind.values), name="source_kind_known"),
        ]

    def __str__(self) -> str:
        return self.name

"""Articles: the texts analysts annotate. The text never changes once a span exists on it."""

from django.db import models

from annotator.models.history import HistoricalRecords
from annotator.models.projects import Project


class Article(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="articles")
    external_id = models.CharField(max_length=200, help_text="Identifier from the source file.")
    title = models.CharField(max_length=500)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published = models.DateField(null=True, blank=True)
    text = models.TextField()
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the UTF-8 text.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["project", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="article_external_id_unique"),
            models.UniqueConstraint(fields=["project", "sha256"], name="article_text_unique_in_project"),
            models.CheckConstraint(condition=~models.Q(text=""), name="article_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

"""Projects, who belongs to them (memberships and roles) and their label sets."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Role(models.TextChoices):
    ANALYST = "analyst", "Analyst"
    REVIEWER = "reviewer", "Reviewer"
    MANAGER = "manager", "Manager"


class Project(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    guidelines = models.TextField(blank=True, help_text="Annotation guidelines, in Markdown.")
    scale_min = models.PositiveSmallIntegerField(default=1, help_text="Lowest credibility score.")
    scale_max = models.PositiveSmallIntegerField(default=5, help_text="Highest credibility score.")
    overlap = models.PositiveSmallIntegerField(default=3, help_text="Analysts per article.")
    is_blind = models.BooleanField(default=True, help_text="Analysts never see each other's work.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="project_scale_min_below_max"),
            models.CheckConstraint(condition=Q(overlap__gte=1), name="project_overlap_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> range:
        """The credibility levels of this project, e.g. range(1, 6) for 1 to 5."""
        return range(self.scale_min, self.scale_max + 1)


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_one_role_per_project"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"


class Label(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    key = models.SlugField(max_length=40, help_text="Stable identifier used in exports, e.g. claim.")
    name = models.CharField(max_length=80)
    color = models.CharField(max_length=7, default="#888888", help_text="#rrggbb")
    hotkey = models.CharField(max_length=1, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="label_key_unique_in_project"),
            models.UniqueConstraint(
                fields=["project", "hotkey"], condition=~Q(hotkey=""), name="label_hotkey_unique_in_project"
            ),
            models.CheckConstraint(condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="label_color_hex"),
        ]

    def __str__(self) -> str:
        return self.name

"""Django admin for every model: list columns, filters, search, inlines and read-only history."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from annotator import text
from annotator.errors import DomainError
from annotator.models import (
    AgreementJob,
    Article,
    ArticleAssessment,
    ArticleReview,
    Assignment,
    AssignmentStatus,
    ClaimCluster,
    ClaimLink,
    ExportJob,
    GoldSpan,
    ImportJob,
    Label,
    Membership,
    Project,
    ReviewStatus,
    Source,
    Span,
)
from annotator.selectors import review as review_reads
from annotator.services import articles, assignments, gold, spans


class SpanAdminForm(forms.ModelForm):
    """Runs the service's checks while the form can still show them next to the field."""

    class Meta:
        model = Span
        fields = ["label", "source", "credibility", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assignment = self.instance.assignment
        project = assignment.article.project
        try:
            assignments.ensure_open(assignment)
            spans.check_credibility(project, cleaned.get("credibility"))
        except DomainError as error:
            raise forms.ValidationError({error.field: error.message} if error.field in self.fields
                                        else error.message) from None
        label, source = cleaned.get("label"), cleaned.get("source")
        if label is not None and label.project_id != project.pk:
            self.add_error("label", "The label belongs to another project.")
        if source is not None and source.project_id != project.pk:
            self.add_error("source", "The source belongs to another project.")
        return cleaned


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["project", "external_id", "title", "outlet", "url", "published", "text"]

    def clean_text(self) -> str:
        normalised = text.normalise_newlines(self.cleaned_data["text"])
        project = self.cleaned_data.get("project") or getattr(self.instance, "project", None)
        same = Article.objects.filter(project=project, sha256=text.text_sha256(normalised))
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if project is not None and same.exists():
            raise forms.ValidationError("Another article of this project has exactly this text.")
        return normalised


class LabelInline(admin.TabularInline):
    model = Label
    extra = 0
    fields = ("position", "key", "name", "color", "hotkey")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "scale_min", "scale_max", "overlap", "is_blind", "article_count")
    list_filter = ("is_blind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [LabelInline, MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return super().get_queryset(request).annotate(article_total=Count("articles", distinct=True))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, project: Project) -> int:
        return project.article_total  # type: ignore[attr-defined]  # annotated in get_queryset


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "project", "role", "created_at")
    list_filter = ("role", "project")
    search_fields = ("user__username", "user__email", "project__name")
    autocomplete_fields = ("user",)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "project", "color", "hotkey", "position")
    list_filter = ("project",)
    search_fields = ("name", "key")


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "affiliation", "country", "project")
    list_filter = ("kind", "project", "country")
    search_fields = ("name", "aliases", "affiliation", "description")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("analyst", "status", "started_at", "submitted_at")
    readonly_fields = ("started_at", "submitted_at")
    autocomplete_fields = ("analyst",)


class AdjudicationFilter(admin.SimpleListFilter):
    title = "adjudication"
    parameter_name = "adjudication"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", "Not yet adjudicated"), ("adjudicated", "Adjudicated")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "adjudicated":
            return queryset.filter(review__status=ReviewStatus.ADJUDICATED)
        if self.value() == "open":
            return queryset.exclude(review__status=ReviewStatus.ADJUDICATED)
        return queryset


class AgreementFilter(admin.SimpleListFilter):
    title = "agreement"
    parameter_name = "agreement"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("low", "High disagreement (label alpha below 0.667)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "low":
            projects = Project.objects.filter(pk__in=queryset.values("project_id"))
            return queryset.filter(pk__in=review_reads.low_agreement_article_ids(projects))
        return queryset


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ("title", "external_id", "outlet", "published", "project", "assignment_count", "submitted_count",
                    "label_alpha", "adjudication")
    list_filter = (AdjudicationFilter, AgreementFilter, "project", "outlet")
    search_fields = ("title", "external_id", "outlet", "text", "assignments__spans__quote", "gold_spans__quote")
    date_hierarchy = "published"
    readonly_fields = ("sha256", "created_at")
    inlines = [AssignmentInline]
    actions = ["assign_analysts", "mark_adjudicated", "reopen_review"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).select_related("project", "review").annotate(
            assignment_total=Count("assignments", distinct=True),
            submitted_total=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED),
                                  distinct=True),
        )

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if changelist is not None:
            # One agreement report per project for the rows shown; each row carries its own figures.
            rows = list(changelist.result_list)
            figures = review_reads.agreement_by_article(Article.objects.filter(pk__in=[row.pk for row in rows]))
            for row in rows:
                row.agreement_figures = figures.get(row.pk)
        return response

    @admin.display(description="Assignments", ordering="assignment_total")
    def assignment_count(self, article: Article) -> int:
        return article.assignment_total  # type: ignore[attr-defined]  # annotated in get_queryset

    @admin.display(description="Submitted", ordering="submitted_total")
    def submitted_count(self, article: Article) -> int:
        return article.submitted_total  # type: ignore[attr-defined]  # annotated in get_queryset

    @admin.display(description="Label alpha")
    def label_alpha(self, article: Article) -> str:
        figures = getattr(article, "agreement_figures", None)
        if figures is None:
            return "–"
        value = figures["label_alpha"]
        return "undefined" if value is None else f"{value:.3f}"

    @admin.display(description="Adjudication")
    def adjudication(self, article: Article) -> str:
        review = getattr(article, "review", None)
        return review.get_status_display() if review is not None else "Open"

    @admin.action(description="Assign analysts to the selected articles' projects (missing ones only)")
    def assign_analysts(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for project in Project.objects.filter(pk__in=queryset.values("project_id")):
            try:
                created = assignments.assign_articles(project=project)
            except DomainError as error:
                self.message_user(request, f"{project}: {error.message}", level=messages.ERROR)
                continue
            self.message_user(request, f"{project}: {len(created)} assignments created.")

    @admin.action(description="Mark the selected articles adjudicated")
    def mark_adjudicated(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._each(request, queryset, gold.adjudicate_article, "articles marked adjudicated")

    @admin.action(description="Reopen the review of the selected articles")
    def reopen_review(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._each(request, queryset, gold.reopen_review, "reviews reopened")

    def _each(self, request: HttpRequest, queryset: QuerySet[Article], change: Any, done_text: str) -> None:
        """Apply a review service to each selected article; a refusal is shown and the rest go on."""
        done = 0
        for article in queryset:
            try:
                change(article=article, reviewer=request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{article}: {error.message}", level=messages.WARNING)
        self.message_user(request, f"{done} {done_text}.")

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (
            Span.objects.filter(assignment__article=obj).exists() or GoldSpan.objects.filter(article=obj).exists()
        ):
            fields.append("text")  # offsets of existing spans (analysts' or gold) point into this text
        return fields

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if change and "text" in form.changed_data:
            new_text = obj.text
            obj.text = Article.objects.values_list("text", flat=True).get(pk=obj.pk)
            super().save_model(request, obj, form, change)
            articles.update_article_text(article=obj, new_text=new_text)
            return
        obj.text = text.normalise_newlines(obj.text)
        obj.sha256 = text.text_sha256(obj.text)
        super().save_model(request, obj, form, change)


class SpanInline(admin.TabularInline):
    model = Span
    extra = 0
    fields = ("start", "end", "quote", "label", "source", "credibility", "note", "version")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("article", "analyst", "status", "span_count", "started_at", "submitted_at")
    list_filter = ("status", "article__project")
    search_fields = ("article__title", "article__external_id", "analyst__username")
    readonly_fields = ("created_at", "started_at", "submitted_at")
    autocomplete_fields = ("analyst",)
    inlines = [SpanInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return (
            super().get_queryset(request).select_related("article", "analyst")
            .annotate(span_total=Count("spans", distinct=True))
        )

    @admin.display(description="Spans", ordering="span_total")
    def span_count(self, assignment: Assignment) -> int:
        return assignment.span_total  # type: ignore[attr-defined]  # annotated in get_queryset


@admin.register(Span)
class SpanAdmin(SimpleHistoryAdmin):
    form = SpanAdminForm
    list_display = ("quote_excerpt", "label", "source", "credibility", "analyst", "article", "version")
    list_filter = ("label__key", "assignment__article__project", "source__kind")
    search_fields = ("quote", "note", "source__name", "assignment__analyst__username")
    readonly_fields = ("assignment", "start", "end", "quote", "version", "created_at", "updated_at")
    list_select_related = ("label", "source", "assignment__analyst", "assignment__article")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # spans are made in the annotation workspace or by import, where offsets are checked

    @admin.display(description="Quote")
    def quote_excerpt(self, span: Span) -> str:
        return span.quote if len(span.quote) <= 80 else span.quote[:79] + "…"

    @admin.display(description="Analyst")
    def analyst(self, span: Span) -> str:
        return str(span.assignment.analyst)

    @admin.display(description="Article")
    def article(self, span: Span) -> str:
        return span.assignment.article.external_id

    def save_model(self, request: HttpRequest, obj: Span, form: Any, change: bool) -> None:
        stored = Span.objects.get(pk=obj.pk)
        spans.update_span(
            span=stored, version=stored.version, label=obj.label, source=obj.source,
            credibility=obj.credibility, note=obj.note,
        )


@admin.register(ArticleAssessment)
class ArticleAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("assignment", "credibility", "version", "updated_at")
    list_filter = ("assignment__article__project", "credibility")
    search_fields = ("comment", "assignment__analyst__username", "assignment__article__title")
    readonly_fields = ("assignment", "version", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(GoldSpan)
class GoldSpanAdmin(SimpleHistoryAdmin):
    list_display = ("quote_excerpt", "label", "source", "credibility", "article", "decided_by", "decided_at")
    list_filter = ("label__key", "article__project")
    search_fields = ("quote", "note", "source__name", "article__title")
    readonly_fields = ("article", "start", "end", "quote", "supporters", "decided_by", "decided_at", "version")
    list_select_related = ("label", "source", "article", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # gold spans come from the review page, where offsets and provenance are checked

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Quote")
    def quote_excerpt(self, gold: GoldSpan) -> str:
        return gold.quote if len(gold.quote) <= 80 else gold.quote[:79] + "…"


@admin.register(ArticleReview)
class ArticleReviewAdmin(SimpleHistoryAdmin):
    list_display = ("article", "status", "credibility", "decided_by", "adjudicated_at")
    list_filter = ("status", "article__project")
    search_fields = ("article__title", "comment")
    readonly_fields = ("article", "status", "decided_by", "adjudicated_at", "version", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ClaimLinkInline(admin.TabularInline):
    model = ClaimLink
    fields = ("span", "gold_span", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # links are made on the annotate and review pages, where project and ownership are checked


@admin.register(ClaimCluster)
class ClaimClusterAdmin(SimpleHistoryAdmin):
    list_display = ("wording", "project", "verdict", "adjudicated_by", "adjudicated_at", "link_count")
    list_filter = ("project", "verdict")
    search_fields = ("wording", "verdict_note")
    readonly_fields = ("project", "created_by", "created_at", "verdict", "verdict_note", "adjudicated_by",
                       "adjudicated_at", "version")
    inlines = [ClaimLinkInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimCluster]:
        return super().get_queryset(request).annotate(link_total=Count("links"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the wording and the verdict change through the claim page, with their checks

    @admin.display(description="Links", ordering="link_total")
    def link_count(self, cluster: ClaimCluster) -> int:
        return cluster.link_total  # type: ignore[attr-defined]  # annotated in get_queryset


@admin.register(ClaimLink)
class ClaimLinkAdmin(SimpleHistoryAdmin):
    list_display = ("cluster", "span", "gold_span", "created_by", "created_at")
    list_filter = ("cluster__project",)
    search_fields = ("cluster__wording", "span__quote", "gold_span__quote")
    list_select_related = ("cluster", "span__label", "gold_span__label", "created_by")
    readonly_fields = ("cluster", "span", "gold_span", "created_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class JobAdmin(admin.ModelAdmin):
    """Background jobs, read-only: the worker writes them (the task engine's own rows are beside them)."""

    list_filter = ["status", "project"]
    search_fields = ("project__name", "requested_by__username", "task_id")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ExportJob)
class ExportJobAdmin(JobAdmin):
    list_display = ("id", "project", "format", "layer", "status", "articles_done", "articles_total", "requested_by",
                    "created_at", "finished_at")
    list_filter = ["status", "format", "layer", "project"]


@admin.register(ImportJob)
class ImportJobAdmin(JobAdmin):
    list_display = ("id", "project", "format", "upload_name", "dry_run", "status", "requested_by", "created_at",
                    "finished_at")
    list_filter = ["status", "format", "dry_run", "project"]


@admin.register(AgreementJob)
class AgreementJobAdmin(JobAdmin):
    list_display = ("id", "project", "status", "articles_done", "articles_total", "requested_by", "created_at",
                    "finished_at")

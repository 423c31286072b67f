"""Claim pages: the project's claims and one claim across its articles, with the reviewer's verdict form."""

from abc import ABC, abstractmethod
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from annotator.errors import DomainError
from annotator.selectors import access
from annotator.selectors import claims as claim_reads
from annotator.services import claims


class ClaimListView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/claims.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = access.get_project(self.kwargs["project_id"], self.request.user)
        search = self.request.GET.get("q", "").replace("\x00", "")[:500]
        context.update(project=project, search=search,
                       claims=claim_reads.list_clusters(project, self.request.user, search=search),
                       sees_verdict=claim_reads.sees_verdict(project, access.role_in(project, self.request.user)))
        return context


class ClaimDetailView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/claim.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cluster = access.get_claim_cluster(self.kwargs["claim_id"], self.request.user)
        detail = claim_reads.get_claim_detail(cluster, self.request.user)
        role = access.role_in(cluster.project, self.request.user)
        context.update(claim=detail, project=cluster.project, scale=list(cluster.project.scale),
                       is_reviewer=role in access.REVIEW_ROLES)
        return context


class _ClaimFormView(LoginRequiredMixin, View, ABC):
    """A form on the claim page: POST only (GET answers 405), then back to the page with what happened."""

    http_method_names = ["post"]
    done = ""

    def post(self, request: HttpRequest, claim_id: int) -> HttpResponseRedirect:
        cluster = access.get_claim_cluster(claim_id, request.user)
        try:
            self.change(cluster, request)
        except DomainError as error:
            if error.status == 403:
                raise PermissionDenied(error.message) from None
            messages.error(request, f"{error.field + ': ' if error.field else ''}{error.message}")
        else:
            messages.success(request, self.done)
        return HttpResponseRedirect(reverse("claim", args=[cluster.pk]))

    @abstractmethod
    def change(self, cluster: Any, request: HttpRequest) -> None:
        """Make the form's change through the services; a DomainError is shown on the page."""


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


class ClaimAdjudicateFormView(_ClaimFormView):
    done = "Verdict saved."

    def change(self, cluster: Any, request: HttpRequest) -> None:
        raw = request.POST.get("verdict", "")
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
            raise DomainError("choose a score on the project's scale.", field="verdict")
        claims.adjudicate_cluster(cluster=cluster, reviewer=request.user, verdict=int(raw),  # type: ignore[arg-type]
                                  verdict_note=request.POST.get("verdict_note", "")[:10_000],
                                  version=_version(request))


class ClaimRenameFormView(_ClaimFormView):
    done = "Wording saved."

    def change(self, cluster: Any, request: HttpRequest) -> None:
        claims.rename_cluster(cluster=cluster, user=request.user,  # type: ignore[arg-type]  # logged in
                              wording=request.POST.get("wording", ""), version=_version(request))

"""Projects the user belongs to, with their labels, scale and the user's role."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.models import Label, Membership, Project
from annotator.selectors import access
from annotator.selectors import assignments as assignment_reads


class LabelOutput(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "key", "name", "color", "hotkey", "position"]


class ProjectOutput(serializers.ModelSerializer):
    labels = LabelOutput(many=True, read_only=True)
    role = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "slug", "guidelines", "scale_min", "scale_max", "overlap", "is_blind", "role", "labels"]

    def get_role(self, project: Project) -> str | None:
        memberships = getattr(project, "my_memberships", None)
        return memberships[0].role if memberships else None


class ProgressOutput(serializers.Serializer):
    articles = serializers.IntegerField()
    assignments = serializers.IntegerField()
    submitted = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    articles_with_two_submissions = serializers.IntegerField()
    percent_submitted = serializers.IntegerField()


class ProjectDetailOutput(ProjectOutput):
    progress = serializers.SerializerMethodField()

    class Meta(ProjectOutput.Meta):
        fields = [*ProjectOutput.Meta.fields, "progress"]

    @extend_schema(responses=ProgressOutput)
    def get_progress(self, project: Project) -> dict[str, int]:
        return ProgressOutput(assignment_reads.get_project_progress(project)).data


def _with_role(queryset, user):  # type: ignore[no-untyped-def]  # QuerySet[Project] in, out
    return queryset.prefetch_related(
        "labels", Prefetch("memberships", queryset=Membership.objects.filter(user=user), to_attr="my_memberships")
    )


class ProjectListView(ListAPIView):
    serializer_class = ProjectOutput



    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return _with_role(access.projects_for(self.request.user), self.request.user).order_by("name")


class ProjectDetailView(APIView):
    @extend_schema(responses=ProjectDetailOutput)
    def get(self, request: Request, project_id: int) -> Response:
        access.get_project(project_id, request.user)
        project = _with_role(Project.objects.filter(pk=project_id), request.user).get()
        return Response(ProjectDetailOutput(project).data)


class LabelListView(APIView):
    @extend_schema(responses=LabelOutput(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        return Response(LabelOutput(project.labels.all(), many=True).data)

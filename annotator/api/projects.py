"""Projects the user belongs to, with their labels, scale and the user's role."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.idempotency import idempotent
from annotator.api.permissions import require_role
from annotator.models import Label, Membership, Project, Role
from annotator.selectors import access
from annotator.selectors import assignments as assignment_reads
from annotator.services import assignments, projects


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


class ProjectInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80)
    guidelines = serializers.CharField(required=False, allow_blank=True, default="", max_length=100_000)
    scale_min = serializers.IntegerField(min_value=0, max_value=100, default=1)
    scale_max = serializers.IntegerField(min_value=1, max_value=100, default=5)
    overlap = serializers.IntegerField(min_value=1, max_value=50, default=3)
    is_blind = serializers.BooleanField(default=True)


class ProjectUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    guidelines = serializers.CharField(required=False, allow_blank=True, max_length=100_000)
    scale_min = serializers.IntegerField(min_value=0, max_value=100, required=False)
    scale_max = serializers.IntegerField(min_value=1, max_value=100, required=False)
    overlap = serializers.IntegerField(min_value=1, max_value=50, required=False)
    is_blind = serializers.BooleanField(required=False)


class MemberOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "username", "name", "role", "created_at"]


class MemberInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class LabelInput(serializers.Serializer):
    key = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=80)
    color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", default="#888888")
    hotkey = serializers.CharField(max_length=1, required=False, allow_blank=True, default="")


class AssignInput(serializers.Serializer):
    overlap = serializers.IntegerField(min_value=1, max_value=50, required=False, allow_null=True, default=None)


class AssignOutput(serializers.Serializer):
    created = serializers.IntegerField(help_text="Assignments added by this call.")


class ProjectListView(ListAPIView):
    """Projects the user belongs to; staff users create projects (and become their manager)."""

    serializer_class = ProjectOutput



    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return _with_role(access.projects_for(self.request.user), self.request.user).order_by("name")


    @extend_schema(request=ProjectInput, responses={201: ProjectDetailOutput})
    @idempotent
    def post(self, request: Request) -> Response:
        if not request.user.is_staff:
            raise PermissionDenied("Only staff users create projects.")
        payload = ProjectInput(data=request.data)
        payload.is_valid(raise_exception=True)
        project = projects.create_project(**payload.validated_data)
        projects.add_member(project=project, user=request.user, role=Role.MANAGER)
        return Response(_detail(project.pk, request), status=status.HTTP_201_CREATED)


def _detail(project_id: int, request: Request) -> dict:
    project = _with_role(Project.objects.filter(pk=project_id), request.user).get()
    return ProjectDetailOutput(project).data


class ProjectDetailView(APIView):
    @extend_schema(responses=ProjectDetailOutput)
    def get(self, request: Request, project_id: int) -> Response:
        access.get_project(project_id, request.user)
        return Response(_detail(project_id, request))

    @extend_schema(request=ProjectUpdateInput, responses=ProjectDetailOutput)
    def patch(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.MANAGER)
        payload = ProjectUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        projects.update_project(project=project, **payload.validated_data)
        return Response(_detail(project_id, request))


class LabelListView(APIView):
    @extend_schema(responses=LabelOutput(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        return Response(LabelOutput(project.labels.all(), many=True).data)

    @extend_schema(request=LabelInput, responses={201: LabelOutput})
    @idempotent
    def post(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.MANAGER)
        payload = LabelInput(data=request.data)
        payload.is_valid(raise_exception=True)
        label = projects.create_label(project=project, **payload.validated_data)
        return Response(LabelOutput(label).data, status=status.HTTP_201_CREATED)


class MemberListView(APIView):
    """Who works on the project: reviewers and managers read it, managers change it."""

    @extend_schema(responses=MemberOutput(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.REVIEWER, Role.MANAGER)
        members = project.memberships.select_related("user").order_by("role", "user__username")
        return Response(MemberOutput(members, many=True).data)

    @extend_schema(request=MemberInput, responses={201: MemberOutput})
    @idempotent
    def post(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.MANAGER)
        payload = MemberInput(data=request.data)
        payload.is_valid(raise_exception=True)
        user = get_user_model().objects.filter(username=payload.validated_data["username"], is_active=True).first()
        if user is None:
            raise serializers.ValidationError({"username": ["No active user has this username."]})
        membership = projects.add_member(project=project, user=user, role=payload.validated_data["role"])
        return Response(MemberOutput(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, user_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.MANAGER)
        membership = project.memberships.filter(user_id=user_id).select_related("user").first()
        if membership is None:
            raise serializers.ValidationError({"user": ["Not a member of this project."]})
        projects.remove_member(project=project, user=membership.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignView(APIView):
    """Give every article its analysts (the project's overlap unless given), balancing the load."""

    @extend_schema(request=AssignInput, responses=AssignOutput)
    @idempotent
    def post(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.MANAGER)
        payload = AssignInput(data=request.data)
        payload.is_valid(raise_exception=True)
        created = assignments.assign_articles(project=project, overlap=payload.validated_data["overlap"])
        return Response({"created": len(created)})

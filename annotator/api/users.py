"""The requesting user: read their profile and memberships, change their display name; API tokens."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.models import Membership
from annotator.services import users


class MembershipOutput(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["project", "project_name", "role"]


class MeOutput(serializers.ModelSerializer):
    memberships = MembershipOutput(many=True, read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "email", "memberships"]


class MeInput(serializers.Serializer):
    """Only the display name: roles, staff and superuser flags are never set through the API."""

    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)

    def validate(self, attrs: dict) -> dict:
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            refused = {name: ["This field cannot be changed here."] for name in sorted(unknown)}
            raise serializers.ValidationError(refused)
        return attrs


class MeView(APIView):
    @extend_schema(responses=MeOutput)
    def get(self, request: Request) -> Response:
        return Response(MeOutput(request.user).data)

    @extend_schema(request=MeInput, responses=MeOutput)
    def patch(self, request: Request) -> Response:
        payload = MeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        user = users.update_profile(user=request.user, **payload.validated_data)
        return Response(MeOutput(user).data)


class LockedOut(exceptions.APIException):
    status_code = 429
    default_detail = "Too many failed logins: this account is locked for a while from your address."
    default_code = "locked_out"


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (Authorization: Token <key>).

    Failed attempts count towards django-axes' lock-out, as on the login page; once locked, even the right
    password is refused with 429.
    """

    throttle_scope = "login"

    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut() from None
            raise

"""The requesting user: read their profile and memberships, change their display name; API tokens."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.models import Membership
from annotator.selectors import two_factor as two_factor_reads
from annotator.services import lockout, two_factor, users


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


class TwoFactorEnrolmentRequired(exceptions.APIException):
    status_code = 403
    default_detail = "Your role needs two-factor login: enrol an authenticator on the web page first."
    default_code = "two_factor_enrolment_required"


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(required=False, max_length=12, help_text="The authenticator code, for accounts "
                                "with two-factor login.")


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ObtainAuthToken):
    """Exchange a username, password and (with two-factor login) a code for an API token.

    The header is then Authorization: Token <key>. Failed passwords and codes count towards django-axes'
    lock-out, as on the login page; once locked, even the right password is refused with 429. A user whose
    role needs two-factor login gets a token only with a valid code, so enrols in the browser first.
    """

    throttle_scope = "login"

    @extend_schema(request=TokenInput, responses=TokenOutput)
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut() from None
            raise
        user = serializer.validated_data["user"]
        username = user.get_username()
        step = two_factor_reads.get_missing_step(user)
        if step == "enrol":
            raise TwoFactorEnrolmentRequired()
        if step == "verify":
            self._check_code(request, user, username)
        lockout.clear_failures(request, username)
        return Response({"token": users.issue_api_token(user=user).key})

    def _check_code(self, request: Request, user: AbstractBaseUser, username: str) -> None:
        code = request.data.get("otp") if hasattr(request.data, "get") else None
        if not isinstance(code, str) or not code.strip():
            raise exceptions.ValidationError({"otp": ["This account has two-factor login: send the code from "
                                                      "the authenticator app as 'otp'."]})
        if lockout.is_locked_out(request, username):
            raise LockedOut()
        if two_factor.verify_code(user=user, code=code[:12]) is None:
            if lockout.record_failure(request, username):
                raise LockedOut()
            raise exceptions.ValidationError({"otp": ["That code is wrong or was used already."]})

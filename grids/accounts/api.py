"""The token endpoint: POST signs in and answers the token with its expiry; DELETE revokes the caller's token.

A user who needs a second factor (administrators; officers where the tenant asks, grids.accounts.two_factors)
gets a token only with an `otp` field: a current code of their authenticator app, or one of their recovery
codes. Without it the answer is 400 (`{"otp": [...]}`); without an enrolled authenticator, 403: enrol on the web.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from yaohai.core.signin import TokenRequestSerializer as NameLimitedTokenRequest
from yaohai.core.throttles import SignInAccountThrottle, SignInAddressThrottle

from . import selectors, services, two_factor_services, two_factors

TokenAnswer = inline_serializer(
    "TokenAnswer", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()}
)


class TokenRequestSerializer(NameLimitedTokenRequest):
    """User name (its length checked before django-axes records it), password and, where owed, the second factor."""

    otp = serializers.CharField(
        label=gettext_lazy("One-time code"), required=False, allow_blank=True, max_length=32, write_only=True,
        help_text="For users who need a second factor: the code of their authenticator app, or a recovery code.",
    )


class TokenView(APIView):
    """Obtain (POST, with user name and password) or revoke (DELETE, signed in) an API token."""

    serializer_class = TokenRequestSerializer  # an over-long user name is a 400 before django-axes records it

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    def get_throttles(self):
        if self.request.method == "POST":
            return [SignInAddressThrottle(), SignInAccountThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenAnswer,
            400: OpenApiResponse(
                description="Wrong user name or password; or, for a user who needs a second factor, `otp` missing or "
                "wrong (`{\"otp\": [...]}`)."
            ),
            403: OpenApiResponse(
                description="The password has expired, or the user needs a second factor and has not set it up on "
                "the web (`code`: `two_factors_not_set_up`)."
            ),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if two_factors.needs_two_factors(user):
            if not two_factors.has_authenticator(user):
                return Response(
                    {"detail": _("Your account needs a second factor: set it up on the web first."),
                     "code": "two_factors_not_set_up"},
                    status=status.HTTP_403_FORBIDDEN,
                )
            code = serializer.validated_data.get("otp") or ""
            if not code:
                raise serializers.ValidationError({"otp": [_("Your account needs a one-time code: send it as otp.")]})
            if two_factor_services.verify_code(user=user, code=code) is None:
                raise serializers.ValidationError({"otp": [_("The code is wrong or has expired.")]})
        if selectors.password_expired(user):
            return Response(
                {"detail": _("Your password has expired. Sign in on the web and change it first.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        token = services.issue_token(user=user)
        return Response({"token": token.key, "expires_at": services.token_expires_at(token)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.revoke_tokens(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

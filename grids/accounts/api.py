"""The token endpoint: POST signs in and answers the token with its expiry; DELETE revokes the caller's token."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from yaohai.core.signin import TokenRequestSerializer
from yaohai.core.throttles import SignInAccountThrottle, SignInAddressThrottle

from . import selectors, services

TokenAnswer = inline_serializer(
    "TokenAnswer", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()}
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

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenAnswer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
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

"""The project's routes plus the filing bench's baseline and its ladder of cheaper endpoints.

`bench/bare-insert/` is the baseline the filing bench compares the API against: the least a Django view can do to
store something, one INSERT through `connection.cursor()` into `bench_ping` (created by bench.filing), in
autocommit, answering 201 with the new id. It goes through the same middleware stack as the API; it skips
authentication, validation, scope, the ORM and DRF.

The ladder (`python -m bench.filing --ladder`) adds what a filing pays for, one layer at a time, so that the
distance between the baseline and the API can be split into what the frameworks cost and what our own work costs:

- `bench/noop/`: a Django view that touches nothing (the middleware and WSGI floor);
- `bench/bare-insert/`: + one INSERT (the baseline);
- `bench/drf-noop/`: a DRF view with the project's authentication (the token, read from the database) and
  permission classes, parsing the JSON body; no other database work;
- `bench/drf-insert/`: the same + the baseline's INSERT.
"""

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.response import Response
from rest_framework.views import APIView

from yaohai.urls import urlpatterns as project_urlpatterns


def _insert_ping() -> int:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ping (created_at) VALUES (%s) RETURNING id", [timezone.now()])
        (pk,) = cursor.fetchone()
    return pk


@csrf_exempt
@require_POST
def bare_insert(request):
    return JsonResponse({"id": _insert_ping()}, status=201)


@csrf_exempt
@require_POST
def noop(request):
    return JsonResponse({"id": 0}, status=201)


class DrfNoop(APIView):
    """Token authentication (the project's DEFAULT_AUTHENTICATION_CLASSES), IsAuthenticated, the JSON body parsed."""

    def post(self, request):
        return Response({"id": 0, "keys": len(request.data)}, status=201)


class DrfInsert(DrfNoop):
    def post(self, request):
        return Response({"id": _insert_ping(), "keys": len(request.data)}, status=201)


urlpatterns = [
    path("bench/bare-insert/", bare_insert, name="bench-bare-insert"),
    path("bench/noop/", noop, name="bench-noop"),
    path("bench/drf-noop/", DrfNoop.as_view(), name="bench-drf-noop"),
    path("bench/drf-insert/", DrfInsert.as_view(), name="bench-drf-insert"),
    *project_urlpatterns,
]

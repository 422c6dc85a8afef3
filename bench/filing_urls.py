"""The project's routes plus `bench/bare-insert/`: the baseline the filing bench compares the API against.

The bare view is the least a Django view can do to store something: one INSERT through `connection.cursor()` into
`bench_ping` (created by bench.filing), in autocommit, answering 201 with the new id. It goes through the same
middleware stack as the API; it skips authentication, validation, scope, the ORM and DRF.
"""

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from yaohai.urls import urlpatterns as project_urlpatterns


@csrf_exempt
@require_POST
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ping (created_at) VALUES (%s) RETURNING id", [timezone.now()])
        (pk,) = cursor.fetchone()
    return JsonResponse({"id": pk}, status=201)


urlpatterns = [path("bench/bare-insert/", bare_insert, name="bench-bare-insert"), *project_urlpatterns]

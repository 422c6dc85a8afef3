"""API over the caller's own export jobs (我的导出), which belong to their owner alone."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from exports import responses as export_responses
from exports import services as export_services
from exports.models import ExportJob
from grids.api.base import ScopedReadOnlyViewSet, as_drf_error
from yaohai.core.pagination import CursorPagination  # an unreadable ?cursor= is a 400 naming it
from yaohai.core.xlsx import XLSX_TYPE, xlsx_response

from .serializers import ExportJobDetailSerializer, ExportJobSerializer, ExportRequestSerializer


class NewestJobsCursor(CursorPagination):
    ordering = ("-created_at", "-id")  # as 我的导出 lists them


@extend_schema_view(
    list=extend_schema(summary="My exports (我的导出)", description="The caller's own export jobs, newest first."),
    retrieve=extend_schema(
        summary="One of my exports",
        description="Status, parameters and times of one of the caller's export jobs; anyone else's is 404.",
    ),
)
class ExportJobViewSet(ScopedReadOnlyViewSet):
    """The caller's own export jobs (我的导出) and their files. A job belongs to whoever asked for it: anyone
    else — an officer above them or a tenant admin included — gets 404, as on the pages (exports.views)."""

    model = ExportJob
    pagination_class = NewestJobsCursor
    filterset_fields = ["status", "kind"]

    def scoped_queryset(self):
        return ExportJob.objects.owned_by(self.request.user)

    def get_queryset(self):
        jobs = self.scoped_queryset()
        return jobs.defer("parameters") if self.action == "list" else jobs

    def get_serializer_class(self):
        if self.action == "create":
            return ExportRequestSerializer
        return ExportJobSerializer if self.action == "list" else ExportJobDetailSerializer

    def perform_content_negotiation(self, request, force=False):
        # A client may ask for the file by its type (Accept: application/vnd.openxmlformats-…); the file skips the
        # renderers, and an error (404, 400) still comes as JSON rather than as a 406.
        return super().perform_content_negotiation(request, force=force or self.action in ("download", "create"))

    @extend_schema(
        summary="Download the file of one of my exports",
        description="The .xlsx while the job is done and not expired; 404 before it is ready, after it has expired, "
        "and for anyone else's job — like the download on the 我的导出 page.",
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY, 404: OpenApiResponse(description="Not found")},
    )
    @action(detail=True)
    def download(self, request, pk=None):
        return export_responses.job_file(self.scoped_queryset(), pk)

    @extend_schema(
        summary="Ask for an export",
        description="The same decision as an export button on the pages (exports.services.request_export): "
        "fewer rows than EXPORT_SYNC_MAX_ROWS answer 200 with the .xlsx at once; up to EXPORT_MAX_ROWS a job is "
        "queued and answers 201 with the job (Location: its URL; poll it until download_url is set); bad "
        "parameters, an unknown kind or too many rows answer 400 with the reasons, and nothing is created.",
        request=ExportRequestSerializer,
        responses={
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
            201: ExportJobDetailSerializer,
            400: OpenApiResponse(description="The parameters were refused; nothing was created."),
        },
    )
    def create(self, request):
        asked = ExportRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            result = export_services.request_export(
                actor=request.user, kind=asked.validated_data["kind"], parameters=asked.validated_data["parameters"],
                language=request.LANGUAGE_CODE,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from None
        if result.sheet is not None:
            return xlsx_response(result.sheet.filename, result.sheet.content)
        job = self.scoped_queryset().get(pk=result.job.pk)  # as it is now (without Redis it may be built already)
        body = ExportJobDetailSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})

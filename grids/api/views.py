"""API over the tree, the post catalogue and the roster, scoped exactly like the pages; and the caller's own
export jobs (我的导出), which belong to their owner alone."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from grids import selectors
from grids.exports import responses as export_responses
from grids.exports import services as export_services
from grids.models import Assignment, ExportJob, GridNode, Post, User
from yaohai.core.filters import StrictFilterSet
from yaohai.core.pagination import CursorPagination
from yaohai.core.xlsx import XLSX_TYPE, xlsx_response

from .base import ScopedReadOnlyViewSet, as_drf_error
from .serializers import (
    AssignmentSerializer,
    ExportJobDetailSerializer,
    ExportJobSerializer,
    ExportRequestSerializer,
    GridNodeDetailSerializer,
    GridNodeSerializer,
    LocateQuerySerializer,
    PostSerializer,
    RosterRowSerializer,
)


class CodeCursor(CursorPagination):
    ordering = ("code",)


class IdCursor(CursorPagination):
    ordering = ("id",)


# Every id a filter takes is looked up through the caller's scope: another district's id is "not a valid choice",
# exactly like an id nobody has (never an empty 200 for one and a 400 for the other).


def _visible_nodes(request):
    return GridNode.objects.visible_to(request.user) if request else GridNode.objects.none()


def _visible_posts(request):
    return Post.objects.visible_to(request.user) if request else Post.objects.none()


def _visible_people(request):
    """The caller and whoever holds a post the caller can see."""
    if request is None:
        return User.objects.none()
    holders = Assignment.objects.visible_to(request.user).values("user_id")
    return User.objects.filter(Q(pk=request.user.pk) | Q(pk__in=holders))


class GridNodeFilter(StrictFilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=_visible_nodes)

    class Meta:
        model = GridNode
        fields = {"kind": ["exact"], "subkind": ["exact"], "parent": ["exact"], "is_archived": ["exact"]}


class GridNodeViewSet(ScopedReadOnlyViewSet):
    """Nodes of the grid tree within the caller's jurisdiction."""

    model = GridNode
    pagination_class = CodeCursor
    filterset_class = GridNodeFilter

    def get_serializer_class(self):
        return GridNodeDetailSerializer if self.action == "retrieve" else GridNodeSerializer

    schema_errors = {"locate": (400, 404)}

    @extend_schema(responses=RosterRowSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])
    def roster(self, request, pk=None):
        """Who holds which post on this node today, as one array (not paginated: a node's posts are few);
        required posts nobody holds come with is_gap."""
        node = self.get_object()
        roster = selectors.rosters(actor=request.user, nodes=[node])[0]
        return Response(RosterRowSerializer(roster.rows, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("lon", float), OpenApiParameter("lat", float)],
        responses=GridNodeDetailSerializer,
    )
    @action(detail=False)
    def locate(self, request):
        """The grid whose boundary covers a point (longitude, latitude), among the grids the caller sees."""
        query = LocateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        grid = selectors.locate_grid(actor=request.user, **query.validated_data)
        if grid is None:
            raise NotFound(_("No grid you can see covers this point."))
        return Response(GridNodeDetailSerializer(grid).data)


class PostViewSet(ScopedReadOnlyViewSet):
    """The post catalogue of the caller's tenant."""

    model = Post
    serializer_class = PostSerializer
    pagination_class = IdCursor


class AssignmentFilter(StrictFilterSet):
    node = django_filters.ModelChoiceFilter(queryset=_visible_nodes)
    post = django_filters.ModelChoiceFilter(queryset=_visible_posts)
    user = django_filters.ModelChoiceFilter(queryset=_visible_people)

    class Meta:
        model = Assignment
        fields = {"node": ["exact"], "post": ["exact"], "user": ["exact"]}


class AssignmentViewSet(ScopedReadOnlyViewSet):
    """Assignments (三定) on the nodes within the caller's jurisdiction."""

    model = Assignment
    serializer_class = AssignmentSerializer
    pagination_class = IdCursor
    filterset_class = AssignmentFilter

    def get_queryset(self):
        return self.scoped_queryset().select_related("user", "post")


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
    else — an officer above them or a tenant admin included — gets 404, as on the pages (grids.exports.views)."""

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
        description="The same decision as an export button on the pages (grids.exports.services.request_export): "
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
        if result.ledger is not None:
            return xlsx_response(result.ledger.filename, result.ledger.content)
        job = self.scoped_queryset().get(pk=result.job.pk)  # as it is now (without Redis it may be built already)
        body = ExportJobDetailSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})

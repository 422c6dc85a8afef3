"""API over the tree, the post catalogue and the roster, scoped exactly like the pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from grids import selectors
from grids.models import Assignment, GridNode, Post, User
from yaohai.core.filters import StrictFilterSet
from yaohai.core.pagination import CursorPagination

from .base import ScopedReadOnlyViewSet
from .serializers import (
    AssignmentSerializer,
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

from rest_framework import serializers

from grids.models import Assignment, GridNode, Post


class GridNodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = GridNode
        fields = ["id", "tenant", "parent", "kind", "subkind", "name", "code", "level", "is_archived",
                  "district", "street", "community"]


class GridNodeDetailSerializer(GridNodeSerializer):
    class Meta(GridNodeSerializer.Meta):
        fields = [*GridNodeSerializer.Meta.fields, "boundary"]


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "code", "name", "tier", "duties", "rights", "required_on", "sort_order", "is_active"]


class AssignmentSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="user.__str__", read_only=True)
    post_name = serializers.CharField(source="post.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "user", "person", "post", "post_name", "node", "duties", "start_date", "end_date"]


class RosterRowSerializer(serializers.Serializer):
    post = PostSerializer()
    holders = AssignmentSerializer(many=True)
    is_gap = serializers.BooleanField()


class LocateQuerySerializer(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)

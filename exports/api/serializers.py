"""Serializers of the caller's export jobs and of a request for an export."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from exports import services as export_services
from exports.choices import ExportStatus
from exports.models import ExportJob


# Inline (under allOf), not an enum component: a second choice set of fields named "status" beside the events'
# would give both generated names (Status7a3Enum…) and a schema warning.
@extend_schema_field({"allOf": [{"type": "string", "enum": ExportStatus.values}]})
class ExportStatusField(serializers.ChoiceField):
    """A job's status: queued, running, done or failed."""

    def __init__(self, **kwargs):
        super().__init__(choices=ExportStatus.choices, **kwargs)


class ExportJobSerializer(serializers.ModelSerializer):
    """One of the caller's export jobs (我的导出), as listed."""

    status = ExportStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="export-detail")
    download_url = serializers.SerializerMethodField(
        help_text="Where to download the file; null until the job is done, and again once it has expired."
    )

    class Meta:
        model = ExportJob
        fields = ["id", "url", "kind", "title", "status", "status_label", "row_count", "size", "filename", "error",
                  "created_at", "finished_at", "expires_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, job) -> str | None:
        if not export_services.is_downloadable(job):
            return None
        return reverse("export-download", args=[job.pk], request=self.context.get("request"))


class ExportJobDetailSerializer(ExportJobSerializer):
    """One of the caller's export jobs with the parameters it was asked with."""

    class Meta(ExportJobSerializer.Meta):
        fields = [*ExportJobSerializer.Meta.fields, "parameters", "language", "started_at"]
        read_only_fields = fields


class ExportRequestSerializer(serializers.Serializer):
    """What the export buttons of the pages send: a registered kind and its parameters (the page's query string)."""

    kind = serializers.CharField(max_length=60, help_text="A registered kind, e.g. events.list or events.dashboard.")
    parameters = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True), required=False, default=dict,
        help_text="The filters of the page the export belongs to, as strings (e.g. {\"status\": \"reported\"}).",
    )

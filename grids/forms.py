"""Admin forms for the tree: they validate through the services' rules so the page shows every error."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yaohai.core import rights

from . import services
from .models import GridNode, Post


class GridNodeAdminForm(forms.ModelForm):
    """Create a node under a parent, or rename / re-code / re-draw / move one; roots come with their tenant."""

    class Meta:
        model = GridNode
        fields = ["parent", "subkind", "name", "code", "boundary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read now: once the form is valid, Django has copied the new parent onto the instance.
        self.original_parent_id = self.instance.parent_id
        self.fields["code"].required = False
        self.fields["code"].help_text = gettext_lazy(
            "Leave blank to take the next free code. A moved node is re-coded under its new parent."
        )
        self.fields["parent"].required = not (self.instance.pk and self.instance.parent_id is None)
        # Narrow, never replace: the admin has already scoped the choices to the user's tenant.
        parent = self.fields["parent"]
        parent.queryset = parent.queryset.filter(is_archived=False).exclude(kind="grid")

    @property
    def moving(self) -> bool:
        parent = self.cleaned_data.get("parent")
        return bool(self.instance.pk and parent is not None and parent.pk != self.original_parent_id)

    def clean(self):
        data = super().clean()
        instance = self.instance if self.instance.pk else None
        parent = data.get("parent")
        if instance is not None and instance.parent_id is not None and parent is None:
            self.add_error("parent", _("Only a district is a root; choose a parent."))
            return data
        if instance is not None and instance.parent_id is None and parent is not None:
            self.add_error("parent", _("A district is the root of its tree and has no parent."))
            return data
        if self.moving:
            code = services.next_child_code(parent)
        else:
            code = data.get("code") or (instance.code if instance else None)
        try:
            fields = services.validate_node(
                parent=parent,
                tenant=instance.tenant if instance else None,
                node=instance,
                subkind=data.get("subkind") or "",
                name=data.get("name") or "",
                code=code,
                boundary=data.get("boundary"),
                check_children=not self.moving,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return data
        data["name"], data["code"] = fields.name, fields.code
        return data


class PostAdminForm(forms.ModelForm):
    """A post's rights as checkboxes, labelled as the apps that declare them label them (yaohai.core.rights)."""

    rights = forms.MultipleChoiceField(
        label=gettext_lazy("granted rights"), choices=rights.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Post
        fields = ["tenant", "code", "name", "tier", "duties", "rights", "required_on", "sort_order", "is_active"]


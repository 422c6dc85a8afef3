"""HTML pages of the tree and the roster; thin: reads through selectors, scoped, 404 outside jurisdiction."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yaohai.core.xlsx import build_sheet, xlsx_response

from . import selectors


def _node_or_404(request, pk):
    return get_object_or_404(selectors.visible_nodes(actor=request.user), pk=pk)


@login_required
def node_detail(request, pk):
    """A node's page: its path, its children and its roster with the gaps flagged."""
    node = _node_or_404(request, pk)
    children = list(selectors.node_children(actor=request.user, node=node))
    rosters = selectors.rosters(actor=request.user, nodes=[node, *children])
    own, child_rosters = rosters[0], rosters[1:]
    return render(
        request,
        "grids/node_detail.html",
        {
            "node": node,
            "ancestors": node.get_ancestors(),
            "roster": own,
            "children": child_rosters,
        },
    )


@login_required
def roster_export(request, pk):
    """The roster of a node and its children as an .xlsx sheet."""
    node = _node_or_404(request, pk)
    children = list(selectors.node_children(actor=request.user, node=node))
    rows = []
    for roster in selectors.rosters(actor=request.user, nodes=[node, *children]):
        for row in roster.rows:
            if row.holders:
                for a in row.holders:
                    rows.append([roster.node.name, roster.node.code, row.post.name, str(a.user), a.user.phone,
                                 a.duties or row.post.duties, a.start_date, a.end_date or ""])
            else:
                rows.append([roster.node.name, roster.node.code, row.post.name, _("(vacant)"), "", "", "", ""])
    content = build_sheet(
        _("Roster of %(node)s") % {"node": node.name},
        [_("Node"), _("Code"), _("Post"), _("Person"), _("Phone"), _("Duties"), _("From"), _("To")],
        rows,
    )
    return xlsx_response(f"{node.name}-roster-{timezone.localdate():%Y%m%d}.xlsx", content)

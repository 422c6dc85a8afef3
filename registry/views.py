"""HTML pages of the registry: officers' lists and detail pages, the grid worker's phone page, reveals.

Thin: reads through registry.selectors (all from `visible_to`), writes through registry.services. Out of scope
is 404. Personal data appears masked; a reveal is a POST with a reason whose answer is never cached, and no
identity number or phone ever travels in a URL (exact search is a POST too).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from grids import selectors as grid_selectors
from grids.scope import scope_for
from registry import rights as registry_rights

from . import plates, selectors, services
from .choices import OrganisationKind, PersonalField
from .forms import LookupForm, ResidentFilterForm, RevealForm

PAGE = 50


def _page(request, rows):
    return Paginator(rows, PAGE).get_page(request.GET.get("page"))


def _page_by_ids(request, rows):
    """A page of a long list: the count and the page's ids come from the ordering index alone (a community's
    tens of thousands of people, any page), then the page's 50 rows with what they show, in that order."""
    page = _page(request, rows.values_list("id", flat=True))
    found = rows.in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list]
    return page


def _common(request) -> dict:
    return {
        "phone_tabs": grid_selectors.role_of(request.user) == "grid_worker",
        "can_audit": not scope_for(request.user, registry_rights.AUDIT).is_empty,
        "can_reveal_any": not scope_for(request.user, registry_rights.REVEAL).is_empty,
    }


@login_required
def residents(request):
    """The people in the user's jurisdiction, searched by name; no personal data in the list."""
    care_lists = list(selectors.care_lists(actor=request.user))
    form = ResidentFilterForm(request.GET or None, care_lists=care_lists)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.residents(
        actor=request.user, q=data.get("q") or "", status=data.get("status") or "", care_list=data.get("care_list")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "registry/residents.html", {
        **_common(request), "form": form, "page": _page_by_ids(request, rows), "query": query.urlencode(),
        "lookup_form": LookupForm(),
    })


def _resident_page(request, resident, *, revealed=None, reveal_form=None, status=200):
    context = {
        **_common(request), "resident": resident, **selectors.resident_context(resident=resident),
        "can_reveal": selectors.can_reveal(actor=request.user, record=resident),
        "revealed": revealed or {}, "reveal_form": reveal_form, "fields": PersonalField,
    }
    response = render(request, "registry/resident.html", context, status=status)
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def resident(request, pk):
    """A person: facts, masked identity number and phone, households (with history) and care lists."""
    return _resident_page(request, selectors.resident(actor=request.user, pk=pk))


@login_required
@require_POST
@never_cache
@sensitive_post_parameters("reason")
def resident_reveal(request, pk):
    """Show one field in full, for those with the right: a reason is required and the access recorded."""
    person = selectors.resident(actor=request.user, pk=pk)
    form = RevealForm(request.POST)
    if not selectors.can_reveal(actor=request.user, record=person):
        raise PermissionDenied(_("You may not see personal data here."))
    if not form.is_valid() or form.cleaned_data["field"] not in services.REVEALABLE:
        return _resident_page(request, person, reveal_form=form, status=400 if request.POST else 200)
    try:
        value = services.reveal_resident_field(
            actor=request.user, resident=person, field=form.cleaned_data["field"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _resident_page(request, person, reveal_form=form, status=400)
    return _resident_page(request, person, revealed={form.cleaned_data["field"]: value})


@login_required
@never_cache
@sensitive_post_parameters("id_number", "phone")
def lookup(request):
    """Exact search by identity number or phone (posted), within the user's scope; each hit is recorded."""
    form = LookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        try:
            found = services.look_up_residents(
                actor=request.user, id_number=form.cleaned_data["id_number"], phone=form.cleaned_data["phone"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "registry/lookup.html", {**_common(request), "form": form, "found": found})


@login_required
def buildings(request):
    q = (request.GET.get("q") or "").strip()[:50]
    rows = selectors.buildings(actor=request.user, q=q)
    return render(request, "registry/buildings.html", {**_common(request), "page": _page(request, rows), "q": q})


@login_required
def building(request, pk):
    """A building: its facts and its houses with their current households; reached by its QR plate, the grid
    worker's open patrol offers a check-in here."""
    found = selectors.building(actor=request.user, pk=pk)
    houses = selectors.building_houses(building=found)
    return render(request, "registry/building.html", {
        **_common(request), "building": found, "houses": houses, "by_qr": plates.reached_by_plate(request),
        "open_patrol": selectors.open_patrol(actor=request.user),
    })


@login_required
def building_plate(request, pk):
    """The building's QR plate, a page to print (A6 on A4): the code holds the building's page."""
    found = selectors.building(actor=request.user, pk=pk)
    url = plates.plate_url(request, found)
    return render(request, "registry/plate.html", {"building": found, "qr": mark_safe(plates.qr_svg(url)), "url": url})


@login_required
def building_plate_svg(request, pk):
    """The plate's QR code alone, as an SVG file for a sign maker."""
    found = selectors.building(actor=request.user, pk=pk)
    response = HttpResponse(plates.qr_document(plates.plate_url(request, found)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="building-{found.pk}-plate.svg"'
    return response


@login_required
def household(request, pk):
    """A household: its members now and before, and the history of its changes."""
    found = selectors.household(actor=request.user, pk=pk)
    context = {**_common(request), "household": found, **selectors.household_context(household=found)}
    return render(request, "registry/household.html", context)


@login_required
def organisations(request):
    q = (request.GET.get("q") or "").strip()[:50]
    kind = request.GET.get("kind") if request.GET.get("kind") in OrganisationKind.values else ""
    rows = selectors.organisations(actor=request.user, q=q, kind=kind)
    return render(request, "registry/organisations.html", {
        **_common(request), "page": _page(request, rows), "q": q, "kind": kind, "kinds": OrganisationKind.choices,
    })


def _organisation_page(request, organisation, *, revealed="", form=None, status=200):
    context = {
        **_common(request), "organisation": organisation, "revealed": revealed, "reveal_form": form,
        "can_reveal": selectors.can_reveal(actor=request.user, record=organisation),
        "buildings": organisation.managed_buildings.visible_to(request.user).select_related("compound"),
    }
    response = render(request, "registry/organisation.html", context, status=status)
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def organisation(request, pk):
    return _organisation_page(request, selectors.organisation(actor=request.user, pk=pk))


@login_required
@require_POST
@never_cache
@sensitive_post_parameters("reason")
def organisation_reveal(request, pk):
    found = selectors.organisation(actor=request.user, pk=pk)
    if not selectors.can_reveal(actor=request.user, record=found):
        raise PermissionDenied(_("You may not see personal data here."))
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _organisation_page(request, found, form=form, status=400 if request.POST else 200)
    try:
        value = services.reveal_contact_phone(actor=request.user, organisation=found, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return _organisation_page(request, found, form=form, status=400)
    return _organisation_page(request, found, revealed=value)


@login_required
def things(request):
    rows = selectors.things(actor=request.user)
    return render(request, "registry/things.html", {**_common(request), "page": _page(request, rows)})


@login_required
def care(request):
    """Who is on which care list in the user's jurisdiction, since when and why."""
    lists = list(selectors.care_lists(actor=request.user))
    try:
        chosen = int(request.GET.get("list") or 0) or None
    except ValueError:
        chosen = None
    rows = selectors.care_members(actor=request.user, care_list=chosen)
    return render(request, "registry/care.html", {
        **_common(request), "page": _page(request, rows), "lists": lists, "chosen": chosen,
    })


@login_required
def access_records(request):
    """The personal-data access log, for auditors (registry.audit) of their subtree; others see an empty log."""
    rows = selectors.access_records(actor=request.user)
    return render(request, "registry/access.html", {**_common(request), "page": _page(request, rows)})


@login_required
def my_grid(request):
    """The grid worker's phone page: her grid's buildings and the care-list people in it."""
    grids = list(selectors.worker_grids(actor=request.user)[:20])
    grid_ids = [g.pk for g in grids]
    buildings_ = selectors.buildings(actor=request.user).filter(grid_id__in=grid_ids)[:200]
    care_ = selectors.care_members(actor=request.user).filter(grid_id__in=grid_ids)[:200]
    from . import patrols
    from .models import Patrol

    due = [m for m in patrols.care_schedule(actor=request.user) if m.state != "later" and m.grid_id in grid_ids]
    open_patrol = Patrol.objects.filter(worker=request.user, ended_at__isnull=True).exists()
    return render(request, "registry/my_grid.html", {
        **_common(request), "grids": grids, "buildings": buildings_, "care": care_, "due": due[:100],
        "open_patrol": open_patrol,
    })


# ---- sheets: export and import ---------------------------------------------------------------------------------


@login_required
@never_cache
@sensitive_post_parameters("reason")
def export(request):
    """The residents' sheet of the list's filters: GET masked; POST with a reason in full for the people the user
    may reveal (each recorded). Through the exports app: at once when small, else a background job for 我的导出."""
    from exports.responses import answer as export_answer

    from .exports import RESIDENTS_KIND
    from .forms import ExportForm

    reason = ""
    if request.method == "POST":
        form = ExportForm(request.POST)
        if scope_for(request.user, registry_rights.REVEAL).is_empty:
            raise PermissionDenied(_("You may not see personal data here."))
        if not form.is_valid():
            return render(request, "registry/export.html", {**_common(request), "form": form}, status=400)
        reason = form.cleaned_data["reason"]
    elif request.GET.get("full"):
        return render(request, "registry/export.html", {**_common(request), "form": ExportForm()})
    filters = {k: request.GET.get(k, "") for k in ("q", "status", "care_list")}
    back_url = f"{reverse('registry:residents')}?{urlencode({k: v for k, v in filters.items() if v})}"
    return export_answer(request, kind=RESIDENTS_KIND, parameters={**filters, "reason": reason}, back_url=back_url)


@login_required
def import_template(request, kind):
    from django.http import Http404

    from yaohai.core.xlsx import xlsx_response

    from .imports import TITLES, template

    if kind not in TITLES:
        raise Http404
    return xlsx_response(f"{TITLES[kind]}.xlsx", template(kind))


@login_required
@never_cache
def import_sheet(request):
    """Upload a sheet → preview (every bad row with its reason, nothing written) → import all or nothing."""
    from .forms import IMPORT_KINDS, ImportForm
    from .imports import SYNC_MAX_ROWS, read_sheet, run, stash, unstash

    context = {**_common(request), "kinds": IMPORT_KINDS}
    if request.method == "POST" and request.POST.get("token"):
        kind = request.POST.get("kind")
        data = unstash(request.POST["token"], remove=True)
        if data is None or kind not in {k for k, _label in context["kinds"]}:
            context.update(form=ImportForm(), error=_("The uploaded sheet has expired; upload it again."))
            return render(request, "registry/import.html", context, status=400)
        outcome = run(actor=request.user, kind=kind, data=data, commit=True)
        context.update(form=ImportForm(), outcome=outcome)
        return render(request, "registry/import.html", context, status=200 if outcome.committed else 400)
    form = ImportForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        data = b"".join(form.cleaned_data["sheet"].chunks())
        rows, problems = read_sheet(data, form.cleaned_data["kind"])
        if not problems and len(rows) > SYNC_MAX_ROWS:  # too large for a request: a background job, with progress
            return _queue_import(request, kind=form.cleaned_data["kind"], data=data, rows=len(rows))
        outcome = run(actor=request.user, kind=form.cleaned_data["kind"], data=data, commit=False)
        context["outcome"] = outcome
        if not outcome.errors:
            context["token"] = stash(data)
            context["kind"] = form.cleaned_data["kind"]
    return render(request, "registry/import.html", context)


def _queue_import(request, *, kind: str, data: bytes, rows: int):
    """A sheet of more than SYNC_MAX_ROWS rows: kept encrypted and imported by an export job (all or nothing, every
    row checked there); the user follows it on the job's page in 我的导出."""
    from django.shortcuts import redirect

    from exports.registry import kind_of
    from exports.services import queue_job

    from .exports import IMPORT_KIND
    from .imports import stash

    parameters = kind_of(IMPORT_KIND).clean(actor=request.user, parameters={"sheet": kind, "upload": stash(data),
                                                                            "rows": rows})
    job = queue_job(actor=request.user, kind=IMPORT_KIND, parameters=parameters)
    return redirect("exports:detail", pk=job.pk)


# ---- patrols and visits (the grid worker's phone) --------------------------------------------------------------


def _patrol_page(request, status=200, **extra):
    from events.models import Category

    from .models import Patrol

    patrol = (
        Patrol.objects.visible_to(request.user).filter(worker=request.user, ended_at__isnull=True)
        .select_related("grid").first()
    )
    context = {**_common(request), "patrol": patrol, "grids": selectors.worker_grids(actor=request.user)[:20], **extra}
    if patrol is not None:
        context["buildings"] = selectors.buildings(actor=request.user).filter(grid_id=patrol.grid_id)[:300]
        context["categories"] = (
            Category.objects.visible_to(request.user).filter(is_active=True, parent__isnull=False)
            .select_related("parent").order_by("parent__name", "name")
        )
        context["check_ins"] = patrol.check_ins.select_related("building", "organisation").order_by("-at")[:20]
    return render(request, "registry/patrol.html", context, status=status)


@login_required
def patrol(request):
    """巡查 on the phone: start a patrol; while it runs the page records the position and keeps the track through a
    lost connection (static/js/patrol.js); check in at buildings, file findings as events, end with a summary."""
    from grids.models import GridNode

    from . import patrols

    if request.method == "POST":
        grid = GridNode.objects.visible_to(request.user).filter(pk=request.POST.get("grid") or 0).first()
        if grid is None:
            return _patrol_page(request, status=400, error=_("Choose a grid in service."))
        try:
            patrols.start_patrol(actor=request.user, grid=grid)
        except (ValidationError, PermissionDenied) as exc:
            return _patrol_page(request, status=400, error=" ".join(getattr(exc, "messages", [str(exc)])))
    return _patrol_page(request)


@login_required
def patrol_tracks(request):
    """A day's patrols as tracks on the grid map, for officers: the grids' boundaries, each patrol's track and its
    check-ins (static/js/patrol_map.js), and the list of the day's patrols; filtered to a node of the user's."""
    import datetime as dt

    from django.http import Http404

    from dashboards.nodes import feature_collection
    from grids.models import GridNode

    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("day") or today.isoformat())
    except ValueError:
        day = today
    node = None
    if request.GET.get("node"):  # a node the user sees; anything else answers like a missing id
        wanted = request.GET["node"]
        node = GridNode.objects.visible_to(request.user).filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if node is None:
            raise Http404
    day_patrols = selectors.day_patrols(actor=request.user, day=day, node=node)
    lines = selectors.tracks(day_patrols)
    grids = GridNode.objects.visible_to(request.user).filter(kind="grid", is_archived=False)
    grids = grids.filter(**{f"{node.kind}_id": node.pk}) if node is not None else grids.filter(
        pk__in={p.grid_id for p in day_patrols})
    data = {
        "geo": feature_collection(list(grids.only("id", "name", "boundary")[:700])),
        "tracks": [{"id": p.pk, "name": f"{p.worker} {timezone.localtime(p.started_at):%H:%M}", **lines[p.pk]}
                   for p in day_patrols],
    }
    return render(request, "registry/tracks.html", {
        **_common(request), "day": day, "node": node, "patrols": day_patrols, "map_data": data,
        "previous": day - dt.timedelta(days=1), "following": day + dt.timedelta(days=1),
    })


def _my_patrol(request, pk):
    from django.shortcuts import get_object_or_404

    from .models import Patrol

    return get_object_or_404(Patrol.objects.visible_to(request.user), pk=pk)


def _patrol_step(request, pk, step):
    from django.shortcuts import redirect

    patrol_ = _my_patrol(request, pk)
    try:
        step(patrol_)
    except (ValidationError, PermissionDenied) as exc:
        return _patrol_page(request, status=400, error=" ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("registry:patrol")


@login_required
@require_POST
def patrol_check_in(request, pk):
    from . import patrols

    def step(patrol_):
        found = selectors.buildings(actor=request.user).filter(pk=request.POST.get("building") or 0).first()
        patrols.check_in(actor=request.user, patrol=patrol_, building=found, note=request.POST.get("note", ""),
                         by_qr=bool(request.POST.get("by_qr")))

    return _patrol_step(request, pk, step)


@login_required
@require_POST
def patrol_finding(request, pk):
    from events.models import Category

    from . import patrols

    def step(patrol_):
        category = Category.objects.visible_to(request.user).filter(
            pk=request.POST.get("category") or 0, is_active=True, parent__isnull=False
        ).first()
        if category is None or not (request.POST.get("title") or "").strip():
            raise ValidationError(_("Choose a category and describe the finding."))
        found = selectors.buildings(actor=request.user).filter(pk=request.POST.get("building") or 0).first()
        patrols.report_finding(actor=request.user, patrol=patrol_, category=category,
                               title=request.POST["title"].strip()[:200], building=found)

    return _patrol_step(request, pk, step)


@login_required
@require_POST
def patrol_end(request, pk):
    from . import patrols

    return _patrol_step(
        request, pk, lambda p: patrols.end_patrol(actor=request.user, patrol=p, summary=request.POST.get("summary", ""))
    )


@login_required
@require_POST
def household_visit(request, pk):
    """Record a visit to a household (from its page): date, purpose, findings."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.dateparse import parse_date

    from . import patrols

    found = selectors.household(actor=request.user, pk=pk)
    try:
        visited_on = parse_date(request.POST.get("visited_on") or "")
    except ValueError:
        visited_on = None
    try:
        if visited_on is None:
            raise ValidationError(_("Give the date of the visit."))
        patrols.record_visit(actor=request.user, household=found, visited_on=visited_on,
                             purpose=request.POST.get("purpose", ""), findings=request.POST.get("findings", ""))
    except (ValidationError, PermissionDenied) as exc:
        context = {**_common(request), "household": found, **selectors.household_context(household=found),
                   "visit_error": " ".join(getattr(exc, "messages", [str(exc)]))}
        return render(request, "registry/household.html", context, status=400)
    messages.success(request, _("The visit has been recorded."))
    return redirect("registry:household", pk=found.pk)

"""The admin's "load a year's schedule" page: paste the State Council's schedule or upload it as .xlsx, see what
it does, confirm. Nothing is written until the confirmation, and then the whole year at once.

The confirmation posts back the schedule as text (`Schedule.as_text`), so nothing is kept on the server between
the two steps."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .calendar import CALENDAR_TZ, calendar_missing_years, year_is_known
from .calendar_schedule import MAX_LINES, Schedule, parse_text, workbook_text
from .models import CalendarDay
from .services.calendar import load_calendar_year

MAX_UPLOAD_BYTES = 1024 * 1024


class ScheduleForm(forms.Form):
    """A year's schedule as pasted lines or an .xlsx sheet (date, 休/班, note)."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False,
        help_text=gettext_lazy("Leave blank to take the year of the first date."),
    )
    text = forms.CharField(
        label=gettext_lazy("Schedule"), required=False, widget=forms.Textarea(attrs={"rows": 16, "cols": 60}),
        help_text=gettext_lazy("One line per day or run of days: “2027-01-01 休 元旦”, “2027-02-06 至 2027-02-12 休 "
                               "春节”, “2027-02-07 班 春节调休”."),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a workbook (.xlsx)"), required=False,
        help_text=gettext_lazy("Columns: date, 休 or 班, note (a header row is allowed)."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an .xlsx workbook."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("file"):
            raise ValidationError(_("Paste the schedule or choose a workbook."))
        if len((data.get("text") or "").splitlines()) > MAX_LINES:
            self.add_error("text", _("At most %(max)d lines.") % {"max": MAX_LINES})
        return data


def load_schedule_view(model_admin, request):
    """Paste or upload → preview → confirm; only a platform admin (the calendar is the whole platform's)."""
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    opts = model_admin.opts
    context = {**model_admin.admin_site.each_context(request), "opts": opts, "title": _("Load a year's schedule")}
    schedule: Schedule | None = None
    form = ScheduleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"] or ""
        if form.cleaned_data.get("file"):
            text, file_errors = workbook_text(form.cleaned_data["file"].read())
            if file_errors:
                form.add_error("file", [str(e) for e in file_errors])
        if form.is_valid():
            schedule = parse_text(text, year=form.cleaned_data.get("year"))
            if "confirm" in request.POST and schedule.ok:
                count = load_calendar_year(actor=request.user, schedule=schedule)
                messages.success(
                    request,
                    _("The working calendar for %(year)d is loaded: %(days)d days, %(holidays)d days off, "
                      "%(swapped)d swapped working days.")
                    % {"year": schedule.year, "days": count, "holidays": len(schedule.holidays),
                       "swapped": len(schedule.swapped_workdays)},
                )
                return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                                + f"?date__year={schedule.year}")
            if not schedule.ok:
                # Keep what was sent (a sheet's rows as lines) so the admin corrects it in place.
                form = ScheduleForm(initial={"text": text, "year": form.cleaned_data.get("year")})
    existing = (
        CalendarDay.objects.filter(date__year=schedule.year).count() if schedule is not None and schedule.year else 0
    )
    return TemplateResponse(
        request,
        "admin/events/calendarday/load_schedule.html",
        {
            **context,
            "form": form,
            "schedule": schedule,
            "confirm_text": schedule.as_text() if schedule is not None and schedule.ok else "",
            "existing": existing,
            "already_known": schedule is not None and schedule.year is not None and year_is_known(schedule.year),
            "missing_years": calendar_missing_years(timezone.now().astimezone(CALENDAR_TZ)),
        },
    )

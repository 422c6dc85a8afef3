"""Fill the working calendar (CalendarDay rows) from the `chinesecalendar` package for whole years."""

import datetime as dt

import chinese_calendar
from django.core.management.base import BaseCommand, CommandError

from events.calendar import calendar_changed, package_is_workday
from events.models import CalendarDay


class Command(BaseCommand):
    help = "Seed CalendarDay rows for the given years (default: every year the package knows from last year on)."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int)
        parser.add_argument("--overwrite", action="store_true", help="Replace rows an admin may have edited.")

    def handle(self, *args, years, overwrite, **options):
        known = sorted({d.year for d in chinese_calendar.holidays})
        if not years:
            years = [y for y in known if y >= dt.date.today().year - 1]
        for year in years:
            if year not in known:
                raise CommandError(
                    f"chinesecalendar has no schedule for {year}; enter that year's days in the admin instead."
                )
            rows = []
            day = dt.date(year, 1, 1)
            while day.year == year:
                is_workday = package_is_workday(day)
                on_holiday, name = chinese_calendar.get_holiday_detail(day)
                if on_holiday and name:
                    note = str(name)
                elif is_workday and day.weekday() >= 5:
                    note = "调休上班"
                else:
                    note = ""
                rows.append(CalendarDay(date=day, is_workday=is_workday, note=note))
                day += dt.timedelta(days=1)
            if overwrite:
                CalendarDay.objects.bulk_create(
                    rows, update_conflicts=True, unique_fields=["date"], update_fields=["is_workday", "note"]
                )
            else:
                CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
            calendar_changed()  # bulk_create sends no post_save: drop the process's copy of the calendar
            self.stdout.write(f"{year}: {len(rows)} days")

"""Admin of the city level: cities, their districts and their officers' posts — for platform admins only (a city
spans tenants, so no tenant admin may see or change one; grids.admin_scope.PlatformOnlyAdminMixin)."""

from django.contrib import admin

from grids.admin_scope import PlatformOnlyAdminMixin

from .models import City, CityAssignment, CityDistrict


class CityDistrictInline(PlatformOnlyAdminMixin, admin.TabularInline):
    model = CityDistrict
    extra = 0


class CityAssignmentInline(PlatformOnlyAdminMixin, admin.TabularInline):
    model = CityAssignment
    fields = ["user", "title", "duties", "start_date", "end_date"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(City)
class CityAdmin(PlatformOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [CityDistrictInline, CityAssignmentInline]

from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.residents, name="residents"),
    path("residents/<int:pk>/", views.resident, name="resident"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="resident-reveal"),
    path("lookup/", views.lookup, name="lookup"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_sheet, name="import"),
    path("import/template/<slug:kind>.xlsx", views.import_template, name="import-template"),
    path("buildings/", views.buildings, name="buildings"),
    path("buildings/<int:pk>/", views.building, name="building"),
    path("buildings/<int:pk>/plate/", views.building_plate, name="building-plate"),
    path("buildings/<int:pk>/plate.svg", views.building_plate_svg, name="building-plate-svg"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/visit/", views.household_visit, name="household-visit"),
    path("patrol/", views.patrol, name="patrol"),
    path("patrols/", views.patrol_tracks, name="patrol-tracks"),
    path("patrol/<int:pk>/check-in/", views.patrol_check_in, name="patrol-check-in"),
    path("patrol/<int:pk>/finding/", views.patrol_finding, name="patrol-finding"),
    path("patrol/<int:pk>/end/", views.patrol_end, name="patrol-end"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/reveal/", views.organisation_reveal, name="organisation-reveal"),
    path("things/", views.things, name="things"),
    path("care/", views.care, name="care"),
    path("access/", views.access_records, name="access"),
    path("grid/", views.my_grid, name="my-grid"),
]

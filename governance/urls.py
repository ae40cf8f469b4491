from django.contrib import admin
from django.urls import include, path

from governance.views import exports

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("governance.audit_urls")),
    path("export/tenures.csv", exports.export_tenures, name="export_tenures"),
    path("export/people.csv", exports.export_people, name="export_people"),
    path("export/companies.csv", exports.export_companies, name="export_companies"),
    path("export/events.csv", exports.export_events, name="export_events"),
]

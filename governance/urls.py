"""Every URL of the app, public pages first, then the admin."""

from django.contrib import admin
from django.urls import path

from governance.views import audit, browse, changes, exports, health

urlpatterns = [
    path("", browse.home, name="home"),
    path("companies/", browse.company_list, name="company_list"),
    path("companies/<slug:slug>/", browse.company, name="company"),
    path("people/", browse.person_list, name="person_list"),
    path("people/<slug:slug>/", browse.person, name="person"),
    path("sources/<int:pk>/", browse.source, name="source"),
    path("sources/<int:pk>/text/", browse.source_text, name="source_text"),
    path("changes/", changes.changes, name="changes"),
    path("export/tenures.csv", exports.export_tenures, name="export_tenures"),
    path("export/people.csv", exports.export_people, name="export_people"),
    path("export/companies.csv", exports.export_companies, name="export_companies"),
    path("export/events.csv", exports.export_events, name="export_events"),
    path("export/transactions.csv", exports.export_transactions, name="export_transactions"),
    path("history/<str:kind>/<int:pk>/", audit.history, name="record_history"),
    path("quality/", audit.quality, name="quality"),
    path("deleted/", audit.deleted_records, name="deleted_records"),
    path("deleted/restore/", audit.restore, name="restore_deletion"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

"""URLs of the audit trail, included from governance/urls.py."""

from django.urls import path

from governance import audit_views

urlpatterns = [
    path("history/<str:kind>/<int:pk>/", audit_views.history, name="record_history"),
    path("quality/", audit_views.quality, name="quality"),
    path("deleted/", audit_views.deleted_records, name="deleted_records"),
    path("deleted/restore/", audit_views.restore, name="restore_deletion"),
]

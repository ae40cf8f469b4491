from django.contrib import admin
from django.urls import path

from governance.views import browse, changes

urlpatterns = [
    path("", browse.home, name="home"),
    path("companies/", browse.company_list, name="company_list"),
    path("companies/<slug:slug>/", browse.company, name="company"),
    path("people/", browse.person_list, name="person_list"),
    path("people/<slug:slug>/", browse.person, name="person"),
    path("sources/<int:pk>/", browse.source, name="source"),
    path("changes/", changes.changes, name="changes"),
    path("admin/", admin.site.urls),
]

"""Persons and their other names in the admin."""

from django.contrib import admin

from people.models import OtherName, Person
from records.admin import RecordAdmin, RecordInline


class OtherNameInline(RecordInline):
    model = OtherName
    fields = ["name", "kind", "note"]
    extra = 1


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "sort_name", "slug", "other_names_list"]
    search_fields = ["name", "sort_name", "slug", "other_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OtherNameInline]

    search_help_text = (
        "Any of their names, in part, in any case, with or without accents; or a slug."
    )

    def get_search_results(self, request, queryset, search_term):
        # As the site's search, but inside words too: indexed, where the admin's own search
        # (each word in one of search_fields) scanned every person and every other name.
        term = search_term.replace("\x00", "").strip()
        if not term:
            return queryset, False
        by_slug = Person.objects.filter(slug__startswith=term).order_by().values("pk")
        found = Person.objects.containing(term).order_by().values("pk")
        return queryset.filter(pk__in=found.union(by_slug)), False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("other_names")

    @admin.display(description="Other names")
    def other_names_list(self, person: Person) -> str:
        return "; ".join(name.name for name in person.other_names.all())


@admin.register(OtherName)
class OtherNameAdmin(RecordAdmin):
    list_display = ["name", "person", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]

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

    def get_search_results(self, request, queryset, search_term):
        # Also match as the site's search does: accents, punctuation and word order ignored.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            results |= queryset.filter(pk__in=Person.objects.search(search_term).values("pk"))
        return results, may_have_duplicates

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

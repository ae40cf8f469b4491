"""Every governance model in the admin: companies, roles, tenures, sources and their inline
rows, each change with a reason kept in history."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from governance.admin.sec_upload import SecUploadAdminMixin
from governance.admin.tenure_csv import TenureCsvAdminMixin
from governance.models import (
    Attestation,
    Citation,
    Company,
    FormerName,
    Founder,
    Role,
    Source,
    SourceParty,
    Tenure,
)
from governance.models.partial_date import PartialDate
from governance.models.tenures import INFERABLE_FIELDS
from governance.pages.quality import sourced_tenures, unsourced_tenures
from people.admin import PersonAdmin
from people.models import Person
from records.admin import ChangeReasonForm, RecordAdmin, RecordInline, RecordInlineFormSet
from records.inferences import INFERRED_SEPARATOR

admin.site.site_header = "Governance Timeline: the record"
admin.site.site_title = "Governance Timeline admin"
admin.site.index_title = "Enter and correct the record"


# A company's or person's change page shows this many of its tenures, the latest first: each
# row is a form whose widgets read their person, company, role and predecessor (a query each),
# so a company with hundreds of tenures made a page of hundreds of queries. The rest are in
# the tenure list, filtered by company or searched by name.
TENURES_SHOWN = 20
# A tenure search finding at most this many persons and companies lists their tenures from
# the person and company indexes; finding more, it walks the list until a page is found.
FEW_FOUND = 1000


class LatestTenuresFormSet(RecordInlineFormSet):
    """The inline's tenures, cut to the first TENURES_SHOWN of its ordering."""

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset()[:TENURES_SHOWN]
        return self._latest


class TenureInline(RecordInline):
    model = Tenure
    formset = LatestTenuresFormSet
    # The latest first; an unknown start counts as earliest.
    ordering = [F("start").desc(nulls_last=True), "-id"]

    def get_queryset(self, request):
        # Each row's heading and predecessor are named from these, read with the rows.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "person",
                "company",
                "role",
                "predecessor__person",
                "predecessor__company",
                "predecessor__role",
            )
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            total = Tenure.objects.filter(**{self.fk_name: obj}).count()
            if total > TENURES_SHOWN:
                self.verbose_name_plural = (
                    f"tenures: the {TENURES_SHOWN} latest of {total} "
                    "(the others are in the tenure list)"
                )
        return formset


class CompanyTenureInline(TenureInline):
    fk_name = "company"
    fields = ["person", "role", "title", "start", "end", "end_reason", "predecessor"]
    autocomplete_fields = ["person", "role", "predecessor"]


class CitationInline(RecordInline):
    model = Citation
    fields = ["source", "quote", "position"]
    autocomplete_fields = ["source"]


class AttestationFormSet(RecordInlineFormSet):
    def clean(self):
        """The single-seat rule over the attested days as the form leaves them: each form
        checks its own day against the stored ones, not against days added beside it."""
        super().clean()
        if any(self.errors):
            return
        days = {
            form.cleaned_data["day"]
            for form in self.forms
            if form.cleaned_data.get("day") and not form.cleaned_data.get("DELETE")
        }
        conflict = self.instance.first_conflict(attested_days=days)
        if conflict is not None:
            raise ValidationError(self.instance.conflict_message(conflict))


class AttestationInline(RecordInline):
    model = Attestation
    formset = AttestationFormSet
    fields = ["day", "source", "quote"]
    autocomplete_fields = ["source"]


class FormerNameInline(RecordInline):
    model = FormerName
    fields = ["name", "start", "end", "note"]


class FounderInline(RecordInline):
    model = Founder
    fields = ["person", "source", "quote"]
    autocomplete_fields = ["person", "source"]


class SourcePartyInline(RecordInline):
    model = SourceParty
    fields = ["person", "company", "part", "name_as_written"]
    autocomplete_fields = ["person", "company"]


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("current", "Current"),
            ("ended", "Ended"),
            ("other", "Neither (known only by attestation)"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "ended":
            return queryset.ended()
        if self.value() == "other":
            return queryset.neither_current_nor_ended()
        return queryset


class SourcedFilter(admin.SimpleListFilter):
    title = "sources"
    parameter_name = "sourced"

    def lookups(self, request, model_admin):
        return [("yes", "Sourced"), ("no", "Unsourced")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return sourced_tenures(queryset)
        if self.value() == "no":
            return unsourced_tenures(queryset)
        return queryset


class TenureForm(ChangeReasonForm):
    """The tenure form, with its inferred facts as boxes to tick."""

    inferred = forms.MultipleChoiceField(
        choices=[(name, name.replace("_", " ")) for name in INFERABLE_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Which facts the record states beyond the words of its sources.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["inferred"] = self.instance.inferred_fields

    def clean_inferred(self) -> str:
        chosen = self.cleaned_data["inferred"]
        return INFERRED_SEPARATOR.join(name for name in INFERABLE_FIELDS if name in chosen)


class CompanyFilter(admin.SimpleListFilter):
    """Tenures at the companies whose name, former name or ticker holds the text typed: a link
    per company would put ten thousand of them on every page of the list."""

    title = "company"
    parameter_name = "company"
    template = "admin/text_filter.html"

    def lookups(self, request, model_admin):
        # One entry, so that the filter is shown; the template draws a text box instead.
        return [("", "")]

    def choices(self, changelist):
        others = {
            name: values
            for name, values in changelist.filter_params.items()
            if name != self.parameter_name
        }
        yield {
            "value": self.value() or "",
            "hidden": [(name, value) for name, values in others.items() for value in values],
            "clear_query_string": changelist.get_query_string(remove=[self.parameter_name]),
        }

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(company__in=Company.objects.search(self.value()).values("pk"))
        return queryset


def citation_count() -> Coalesce:
    """How many sources a tenure cites: a subquery, computed only for the rows of the page
    (a COUNT over a join grouped every tenure before the LIMIT)."""
    per_tenure = (
        Citation.objects.filter(tenure=OuterRef("pk"))
        .order_by()
        .values("tenure")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(per_tenure), 0)


@admin.register(Tenure)
class TenureAdmin(TenureCsvAdminMixin, RecordAdmin):
    form = TenureForm
    list_display = ["person", "title", "company", "dates", "end_reason", "is_current", "sources"]
    list_filter = [StatusFilter, SourcedFilter, "role", "end_reason", CompanyFilter]
    list_select_related = ["person", "company", "role"]
    search_fields = ["person__name", "person__other_names__name", "company__name", "title"]
    search_help_text = (
        "A person by any of their names, in part; or a company by name, former name or ticker."
    )
    autocomplete_fields = ["person", "company", "role", "predecessor"]
    label_relations = ["predecessor__person", "predecessor__company", "predecessor__role"]
    readonly_fields = ["intervals", "last_confirmed"]
    fieldsets = [
        (None, {"fields": ["person", "company", "role", "title"]}),
        ("Dates", {"fields": ["start", "end", "end_reason", "predecessor", "intervals"]}),
        ("Evidence", {"fields": ["last_confirmed", "inferred", "inferred_note"]}),
        (None, {"fields": ["notes", "change_reason"]}),
    ]
    inlines = [CitationInline, AttestationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=citation_count())

    def get_search_results(self, request, queryset, search_term):
        # The tenures of the persons and companies found, each by its indexes: matching text in
        # four columns of a million joined rows took seconds (and titles are the role filter's).
        term = search_term.replace("\x00", "").strip()
        if not term:
            return queryset, False
        persons = Person.objects.containing(term).order_by().values_list("pk", flat=True)
        companies = Company.objects.search(term).order_by().values_list("pk", flat=True)
        few_persons = list(persons[: FEW_FOUND + 1])
        few_companies = list(companies[: FEW_FOUND + 1])
        if len(few_persons) <= FEW_FOUND and len(few_companies) <= FEW_FOUND:
            # Their tenures, read from the person and company indexes.
            persons, companies = few_persons, few_companies
        # Else common words: the list in its order, until a page of tenures of theirs is found.
        return queryset.filter(Q(person__in=persons) | Q(company__in=companies)), False

    def clashing_record(self, obj: Tenure) -> Tenure | None:
        # tenure_unique (one tenure per person, company, role and start), then the single-seat
        # rule (PostgreSQL's exclusion constraint): the two a simultaneous save can break.
        same = Tenure.objects.filter(
            person_id=obj.person_id, company_id=obj.company_id, role_id=obj.role_id
        )
        same = same.filter(start=obj.start) if obj.start else same.filter(start__isnull=True)
        return same.exclude(pk=obj.pk).first() or obj.first_conflict()

    @admin.display(description="Dates", ordering="start")
    def dates(self, tenure: Tenure) -> str:
        return tenure.dates_display

    @admin.display(description="Current", boolean=True)
    def is_current(self, tenure: Tenure) -> bool:
        return tenure.is_current

    # Not sortable: sorting by it would count the citations of every tenure.
    @admin.display(description="Sources")
    def sources(self, tenure: Tenure) -> int:
        return tenure.source_count

    @admin.display(description="Held (derived)")
    def intervals(self, tenure: Tenure) -> str:
        if not tenure.pk:
            return "Computed when saved."
        certain = (
            f"{_day(tenure.certain_start)} to {_day(tenure.certain_end, 'now')}"
            if tenure.has_certain_days
            else "no certain day"
        )
        possible = f"{_day(tenure.possible_start, 'ever')} to {_day(tenure.possible_end, 'now')}"
        return f"Certainly: {certain}. Possibly: {possible}."


def _day(day, missing: str = "") -> str:
    """A derived day in the pages' style, "31 Jul 1990"; missing when there is none."""
    return PartialDate.from_date(day).display() if day else missing


@admin.register(Company)
class CompanyAdmin(RecordAdmin):
    list_display = ["name", "ticker", "exchange", "cik", "jurisdiction", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "ticker", "cik", "former_names__name"]
    list_filter = ["exchange", "jurisdiction"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FormerNameInline, FounderInline, CompanyTenureInline]


@admin.register(Role)
class RoleAdmin(RecordAdmin):
    list_display = ["name", "slug", "kind", "single_seat", "position"]
    list_filter = ["kind", "single_seat"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SecUploadAdminMixin, RecordAdmin):
    list_display = ["title", "kind", "form_type", "exhibit", "date", "accession_number"]
    list_filter = ["kind", "form_type"]
    search_fields = ["title", "url", "accession_number", "exhibit", "form_type"]
    inlines = [SourcePartyInline]


@admin.register(Citation)
class CitationAdmin(RecordAdmin):
    list_display = ["tenure", "source", "position"]
    list_select_related = ["tenure__person", "tenure__company", "tenure__role", "source"]
    search_fields = ["quote", "source__title", "tenure__person__name"]
    autocomplete_fields = ["tenure", "source"]


@admin.register(Attestation)
class AttestationAdmin(RecordAdmin):
    list_display = ["tenure", "day", "source"]
    # Total, so the admin adds no "-pk" that its index (day, id) could not serve.
    ordering = ["day", "id"]
    list_select_related = ["tenure__person", "tenure__company", "tenure__role", "source"]
    search_fields = ["tenure__person__name", "source__title", "quote"]
    autocomplete_fields = ["tenure", "source"]


@admin.register(FormerName)
class FormerNameAdmin(RecordAdmin):
    list_display = ["name", "company", "start", "end"]
    search_fields = ["name", "company__name"]
    autocomplete_fields = ["company"]


@admin.register(Founder)
class FounderAdmin(RecordAdmin):
    list_display = ["person", "company", "source"]
    search_fields = ["person__name", "company__name"]
    autocomplete_fields = ["person", "company", "source"]


@admin.register(SourceParty)
class SourcePartyAdmin(RecordAdmin):
    list_display = ["source", "person", "company", "part", "name_as_written"]
    search_fields = ["source__title", "person__name", "company__name", "part", "name_as_written"]
    autocomplete_fields = ["source", "person", "company"]


class PersonTenureInline(TenureInline):
    fk_name = "person"
    fields = ["company", "role", "title", "start", "end", "end_reason", "predecessor"]
    autocomplete_fields = ["company", "role", "predecessor"]


admin.site.unregister(Person)


@admin.register(Person)
class PersonWithTenuresAdmin(PersonAdmin):
    """The person admin, with the tenures that only this app knows of."""

    inlines = [*PersonAdmin.inlines, PersonTenureInline]

"""Related-party transactions in the admin, with their parties and quoted sources inline."""

from django.contrib import admin

from governance.models import Transaction, TransactionParty, TransactionSource
from records.admin import RecordAdmin, RecordInline


class TransactionPartyInline(RecordInline):
    model = TransactionParty
    fields = ["person", "company", "part", "part_as_written"]
    autocomplete_fields = ["person", "company"]


class TransactionSourceInline(RecordInline):
    model = TransactionSource
    fields = ["source", "quote", "position"]
    autocomplete_fields = ["source"]


@admin.register(Transaction)
class TransactionAdmin(RecordAdmin):
    list_display = ["__str__", "kind", "date", "amount", "currency", "company"]
    list_filter = ["kind"]
    list_select_related = ["company"]
    search_fields = ["instrument", "company__name", "parties__person__name"]
    autocomplete_fields = ["company"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["company", "kind", "kind_inferred", "instrument", "date"]}),
        ("Terms", {"fields": ["amount", "currency", "interest_rate", "due", "extended_due"]}),
        (None, {"fields": ["extension_terms", "security", "inferred_note", "notes"]}),
        (None, {"fields": ["change_reason"]}),
    ]
    inlines = [TransactionPartyInline, TransactionSourceInline]

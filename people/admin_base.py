"""Admin machinery shared by every app: each edit asks why, and the answer goes into history."""

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

ADDED_REASON = "Added in the admin"


class ChangeReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        max_length=500,
        label="Reason for this change",
        help_text='Why the record changes, e.g. "8-K filed 8 Sep 2004". Kept in its history.',
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new record explains itself; a change to an existing one must say why.
        self.fields["change_reason"].required = self.instance.pk is not None


class RecordAdmin(SimpleHistoryAdmin):
    """A model admin with history (versions, diffs, revert) and a change reason on every save."""

    form = ChangeReasonForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def change_reason(self, request, form) -> str:
        return form.cleaned_data.get("change_reason") or ADDED_REASON

    def save_model(self, request, obj, form, change):
        obj._change_reason = self.change_reason(request, form)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = self.change_reason(request, form)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj._history_user = request.user
            obj.delete()
        for obj in instances:
            obj._change_reason = reason
            obj._history_user = request.user
            obj.save()
        formset.save_m2m()

    def delete_model(self, request, obj):
        obj._change_reason = "Deleted in the admin"
        super().delete_model(request, obj)


class RecordInline(admin.TabularInline):
    extra = 0
    show_change_link = True

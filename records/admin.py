"""Admin machinery shared by every app: each edit asks why, and the answer goes into history."""

import operator
from functools import reduce

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, models, router, transaction
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from records import concurrency
from records.deletion import DeletionRefused, consequences_of_deleting, delete_with_history
from records.pagination import EstimatedPaginator

ADDED_REASON = "Added in the admin"
MISSING_DELETE_REASON = "Say why this record is deleted: the reason is kept in its history."


SAVE_RACE = (
    "Nothing was saved: another edit of this record was being saved at the same moment. "
    "The form now shows the record as it is; make your change again if it still applies."
)
ADD_RACE = (
    "Nothing was saved: other records were being saved at the same moment. "
    "Look for a clashing record in the list, then add this one again."
)


def _could_be(field: models.Field, value) -> bool:
    """Whether a row could hold value in field: a query for it cannot fail."""
    try:
        python = field.to_python(value)
    except ValidationError:
        return False
    # Both backends refuse an integer past 64 bits in a query.
    return not isinstance(field, models.IntegerField) or -(2**63) <= python < 2**63


class KnownSelectionAutocomplete(AutocompleteSelect):
    """An autocomplete select that names its selected record from one read with the form's
    instance (`known`), rather than with a query of its own: an inline of twenty rows with three
    such fields each ran sixty queries."""

    known = None

    def optgroups(self, name, value, attr=None):
        # A posted value no record can have ("x") is shown unselected with the form's error:
        # Django's widget put it in a query to name it, which failed (a 500).
        value = [v for v in value if _could_be(self.field.target_field, v)]
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.known is None or chosen != [str(self.known.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(self.known)
        options.append(self.create_option(name, self.known.pk, label, True, len(options)))
        return [(None, options, 0)]


class KnownSelectionForm(forms.ModelForm):
    """Hands each KnownSelectionAutocomplete the record its instance already holds, if any."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's wrapper
            if isinstance(widget, KnownSelectionAutocomplete):
                model_field = self._meta.model._meta.get_field(name)
                if model_field.is_cached(self.instance):
                    widget.known = model_field.get_cached_value(self.instance)


class ChangeReasonForm(KnownSelectionForm):
    change_reason = forms.CharField(
        max_length=500,
        label="Reason for this change",
        help_text='Why the record changes, e.g. "8-K filed 8 Sep 2004". Kept in its history.',
        widget=forms.TextInput(attrs={"size": 60}),
    )
    # The version of the record the form was opened on (records/concurrency.py), posted back
    # and compared with the record's version in the save's transaction.
    record_version = forms.CharField(widget=forms.HiddenInput, required=False)
    opened_version = ""
    # Set when a save clashed with a record saved at the same moment (a constraint the form's
    # checks could not see yet): the form is shown again with this error.
    save_clash = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new record explains itself; a change to an existing one must say why.
        self.fields["change_reason"].required = self.instance.pk is not None
        self.initial.setdefault(concurrency.VERSION_FIELD, self.opened_version)

    def clean(self):
        cleaned_data = super().clean()
        if self.save_clash is not None:
            raise ValidationError(self.save_clash)
        return cleaned_data


def contains(model: type[models.Model], path: str, text: str) -> Q:
    """path__icontains=text, through a subquery where path crosses a to-many relation."""
    parts = path.split(LOOKUP_SEP)
    opts = model._meta
    for index, part in enumerate(parts[:-1]):
        field = opts.get_field(part)
        if field.one_to_many:
            owners = field.related_model._default_manager.filter(
                contains(field.related_model, LOOKUP_SEP.join(parts[index + 1 :]), text)
            ).values(field.field.name)
            return Q(**{LOOKUP_SEP.join([*parts[:index], "pk__in"]): owners})
        opts = field.related_model._meta
    return Q(**{f"{path}__icontains": text})


def _refuse_impossible_id(model: type[models.Model], value: str) -> None:
    """Http404 unless value could be the primary key of a model's row."""
    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        raise Http404(f"No {model._meta.verbose_name} has the id {value!r}.") from None


class RecordChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        rows = self.paginator.complete_first_page()
        if rows is not None and not self.multi_page:
            # The paginator read every row to count them: the list shows those, without
            # reading them again (a filter matching a few of a million rows costs one scan).
            self.result_list._result_cache = rows


class RecordAdmin(SimpleHistoryAdmin):
    """A model admin with history (versions, diffs, revert) and a change reason on every save."""

    form = ChangeReasonForm
    change_form_template = "admin/record_change_form.html"
    delete_confirmation_template = "admin/record_delete_confirmation.html"
    # A list of a million rows must not be counted on every view: the filtered count is exact
    # up to 10,000 rows and PostgreSQL's estimate beyond, and the unfiltered total is not shown.
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        number = request.GET.get(PAGE_VAR, "1")
        return EstimatedPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            page_to_read=int(number) if number.isascii() and number.isdigit() else None,
        )

    def get_changelist(self, request, **kwargs):
        return RecordChangeList

    # Further relations the form's autocomplete widgets name (a predecessor tenure's person...).
    label_relations: list[str] = []

    def get_object(self, request, object_id, from_field=None):
        # The records the form's autocomplete widgets name, read with the record, not a query
        # each (KnownSelectionForm).
        named = [
            name
            for name in self.get_autocomplete_fields(request)
            if not self.opts.get_field(name).many_to_many
        ]
        queryset = self.get_queryset(request).select_related(*named, *self.label_relations)
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    # simple-history's views pass the address's ids straight to a query: "_" failed it (a
    # ValueError, a 500). An id that no record can have is a 404, as the admin's own views do
    # (history_form_view, below, too).
    def history_view(self, request, object_id, extra_context=None):
        _refuse_impossible_id(self.model, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownSelectionAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def change_reason(self, request, form) -> str:
        return form.cleaned_data.get("change_reason") or ADDED_REASON

    # Permissions.

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._may_save(request, obj):
            return fieldsets
        # A read-only page (a viewer's) has no reason to give; shown read-only, the field would
        # be looked up as this admin's change_reason() method.
        return [
            (name, {**options, "fields": _without_reason(options["fields"])})
            for name, options in fieldsets
        ]

    def _may_save(self, request, obj) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _refuse_impossible_id(self.model, unquote(object_id))
        _refuse_impossible_id(self.model.history.model, version_id)
        # simple-history saves a posted version whenever its form is valid; it checks only that
        # the user may see the history. Reverting is changing; reverting a deleted record is
        # restoring it, which only a superuser may do (as on /deleted/).
        if request.method == "POST":
            exists = self.get_object(request, unquote(object_id)) is not None
            if not exists and not request.user.is_superuser:
                raise PermissionDenied("Only a superuser may restore deleted records.")
            if exists and not self.has_change_permission(request):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        # No "Revert" button where the post would be refused: a deleted record, for all but
        # superusers.
        if obj is not None and not request.user.is_superuser:
            if not self.model._default_manager.filter(pk=obj.pk).exists():
                return True
        return super().revert_disabled(request, obj)

    # -- Saving, with other editors at work ------------------------------------------------

    def get_fields(self, request, obj=None):
        # The version is drawn hidden at the top of the form (admin/record_change_form.html).
        return [name for name in super().get_fields(request, obj) if name != "record_version"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(
            form.__name__,
            (form,),
            {
                "opened_version": getattr(request, "record_version", ""),
                "save_clash": getattr(request, "save_clash", None),
            },
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Two adds at the same moment can deadlock on a constraint checked as each row is
        # written (PostgreSQL's exclusion constraints do): one is rolled back. Saved once more,
        # it meets the record the other add wrote, and the form names it.
        attempts = 2 if object_id is None else 1
        for _ in range(attempts):
            try:
                return self._clash_checked_changeform_view(
                    request, object_id, form_url, extra_context
                )
            except OperationalError as error:
                if not concurrency.is_lock_conflict(error):
                    raise
        messages.error(request, ADD_RACE if object_id is None else SAVE_RACE)
        return HttpResponseRedirect(request.get_full_path())

    def _clash_checked_changeform_view(self, request, object_id, form_url, extra_context):
        try:
            return self._versioned_changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # A constraint refused what the form's checks passed: another save committed a
            # clashing record meanwhile (both were checked before either was written). All of
            # this save was rolled back; the form is shown again, naming the clash.
            request.save_clash = self.clash_message(getattr(request, "record_being_saved", None))
            return self._versioned_changeform_view(request, object_id, form_url, extra_context)

    def _versioned_changeform_view(self, request, object_id, form_url, extra_context):
        pk = self._record_pk(request, object_id)
        if pk is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        keys = concurrency.inline_keys(
            self.model, [(inline.model, inline.fk_name) for inline in self.inlines]
        )
        if request.method != "POST":
            # Read before the form's values are: a change landing in between makes the form
            # look stale (refused, shown again), never a stale form look current.
            request.record_version = concurrency.dump(concurrency.version_of(self.model, pk, keys))
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            refusal = self._refuse_stale_save(request, pk, keys)
            if refusal is not None:
                return refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _record_pk(self, request, object_id):
        """The record's key, for a change form of an existing record; else None."""
        if object_id is None or "_saveasnew" in request.POST:
            return None
        if request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR)):
            return None
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return None

    def _refuse_stale_save(self, request, pk, keys):
        """A redirect with a message when the posted form is stale (the record or one of its
        inline rows changed since it was opened, or the record is gone); else None, with the
        rows locked until the save's transaction ends."""
        if not self.has_change_permission(request):
            return None  # the admin's own view refuses it
        label = f"this {self.opts.verbose_name}"
        if not concurrency.lock(self.model, pk, keys):
            if not self.model.history.filter(id=pk).exists():
                return None  # never was: the admin's own "doesn't exist"
            changes = concurrency.last_change(self.model, pk)
            messages.error(request, concurrency.refusal_message(label, changes, deleted=True))
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        posted = concurrency.VersionForm(request.POST)
        current = concurrency.version_of(self.model, pk, keys)
        if posted.is_valid() and posted.cleaned_data[concurrency.VERSION_FIELD] == current:
            return None
        if posted.is_valid():
            opened = posted.cleaned_data[concurrency.VERSION_FIELD]
            changes = concurrency.changes_since(self.model, pk, keys, opened)
            message = concurrency.refusal_message(label, changes)
        else:
            message = concurrency.UNVERSIONED.format(label=label)
        messages.error(request, message)
        return HttpResponseRedirect(request.get_full_path())

    def clashing_record(self, obj) -> models.Model | None:
        """The record obj clashes with, when a constraint refused saving it: for a model admin
        that knows its constraints to say (TenureAdmin)."""
        return None

    def clash_message(self, obj) -> str:
        clash = self.clashing_record(obj) if obj is not None else None
        noun = self.opts.verbose_name
        if clash is None:
            return (
                f"Nothing was saved: a record saved at the same moment clashes with this "
                f"{noun}. Look for it in the list, then try again."
            )
        try:
            url = reverse(
                f"admin:{clash._meta.app_label}_{clash._meta.model_name}_change", args=[clash.pk]
            )
        except NoReverseMatch:
            url = ""
        return format_html(
            'Nothing was saved: this {} clashes with <a href="{}">{}</a>, saved by someone '
            "else at the same moment.",
            noun,
            url,
            clash,
        )

    def save_model(self, request, obj, form, change):
        obj._change_reason = self.change_reason(request, form)
        request.record_being_saved = obj
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = self.change_reason(request, form)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete_with_history(obj, request.user, reason)
        for obj in instances:
            obj._change_reason = reason
            obj._history_user = request.user
            obj.save()
        formset.save_m2m()

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses a NUL in a query; no name holds one, so it can only match nothing.
        search_term = search_term.replace("\x00", "")
        fields = self.get_search_fields(request)
        if not (fields and search_term) or any(field[0] in "^=@" for field in fields):
            return super().get_search_results(request, queryset, search_term)
        # The admin's own search (every word in one of the fields, in any case), but through a
        # subquery past a to-many relation: joining it repeats rows, and the list then needs
        # a DISTINCT over all of them (four seconds over a million tenures).
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            queryset = queryset.filter(
                reduce(operator.or_, (contains(self.model, field, bit) for field in fields))
            )
        return queryset, False

    def get_actions(self, request):
        # Bulk deletion would skip the reason and the list of records it changes.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            reason = request.POST.get("change_reason", "").strip()
            if not reason:
                messages.error(request, MISSING_DELETE_REASON)
                return HttpResponseRedirect(request.get_full_path())
            request.deletion_reason = reason
        try:
            return super().delete_view(request, object_id, extra_context)
        except DeletionRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(request.get_full_path())

    def render_delete_form(self, request, context):
        obj = context.get("object")
        if obj is not None:
            context["consequences"] = consequences_of_deleting(obj)
        return super().render_delete_form(request, context)

    def delete_model(self, request, obj):
        reason = getattr(request, "deletion_reason", "") or "Deleted in the admin"
        delete_with_history(obj, request.user, reason)


def _without_reason(fields):
    return [
        tuple(name for name in field if name != "change_reason")
        if isinstance(field, (list, tuple))
        else field
        for field in fields
        if field != "change_reason"
    ]


class RecordInlineFormSet(BaseInlineFormSet):
    """Each row holds the record it sits in, already read: a row that names itself after it
    ("… for Pat Anderson, President at Innovo Group Inc.") ran queries of its own."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            self.fk.set_cached_value(form.instance, self.instance)
        return form


class RecordInline(admin.TabularInline):
    extra = 0
    show_change_link = True
    form = KnownSelectionForm
    formset = RecordInlineFormSet

    def get_queryset(self, request):
        # What the rows' autocomplete widgets name, read with the rows.
        return super().get_queryset(request).select_related(*self.autocomplete_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownSelectionAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

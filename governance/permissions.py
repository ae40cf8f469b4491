"""Who may do what: the Editors and Viewers groups, and what each import needs.

Anyone reads the public pages and exports. Viewers read the admin. Editors add, change and
view every record model and import; of deletions they may only remove a wrong row inside a
record they edit (a citation, an attested day, another name, a former name, a founder, a party
of a source or a transaction, a transaction's source), never a person, company, tenure, source
or transaction; they do not change the role catalogue, restore deleted records or manage users.
Superusers do everything.

The groups are kept by code: after every `migrate` (a `post_migrate` receiver, so also on a
fresh database) each group's permissions are set to exactly the ones below.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps

EDITORS = "Editors"
VIEWERS = "Viewers"

# Every model that makes up the record, as "app_label.model_name".
RECORD_MODELS = (
    "people.person",
    "people.othername",
    "governance.company",
    "governance.formername",
    "governance.founder",
    "governance.tenure",
    "governance.citation",
    "governance.attestation",
    "governance.source",
    "governance.sourceparty",
    "governance.transaction",
    "governance.transactionparty",
    "governance.transactionsource",
)
# The rows inside a record that an editor may delete through the record's inlines.
INLINE_ROWS = (
    "people.othername",
    "governance.formername",
    "governance.founder",
    "governance.citation",
    "governance.attestation",
    "governance.sourceparty",
    "governance.transactionparty",
    "governance.transactionsource",
)


def _perm(action: str, model: str) -> str:
    app_label, model_name = model.split(".")
    return f"{app_label}.{action}_{model_name}"


VIEWER_PERMISSIONS = frozenset(
    [_perm("view", model) for model in RECORD_MODELS] + ["governance.view_role"]
)
EDITOR_PERMISSIONS = frozenset(
    [_perm(action, model) for model in RECORD_MODELS for action in ("add", "change", "view")]
    + [_perm("delete", model) for model in INLINE_ROWS]
    + ["governance.view_role"]
    # An import is a job of one's own: queued, shown and confirmed as an ImportJob.
    + ["governance.add_importjob", "governance.change_importjob", "governance.view_importjob"]
)
GROUPS = {EDITORS: EDITOR_PERMISSIONS, VIEWERS: VIEWER_PERMISSIONS}


def describe(permission: str) -> str:
    """'people.add_person' → 'add people'."""
    app_label, codename = permission.split(".")
    action, _, model_name = codename.partition("_")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return permission
    return f"{action} {model._meta.verbose_name_plural}"


def import_permissions_missing(user, permissions: Iterable[str]) -> list[str]:
    """What `user` lacks of `permissions` (an import kind's, governance/jobs.py), in words:
    empty when the user may run it."""
    if user is None or not user.is_active:
        return ["log in (an active account)"]
    missing = [] if user.is_staff else ["use the admin (staff status)"]
    return missing + [describe(perm) for perm in permissions if not user.has_perm(perm)]


def refusal(user, missing: list[str], what: str = "may not import tenures") -> str:
    """'erin may not import tenures: it needs the permission to add people, add sources.'"""
    return f"{user} {what}: it needs the permission to {', '.join(missing)}."


def sync_groups(using: str = "default", **kwargs) -> None:
    """Create the groups, and set each one's permissions to exactly those above."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Permissions are made by another post_migrate receiver, app by app: make sure of all of
    # them first (it does nothing for the ones that exist).
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, wanted in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([known[perm] for perm in wanted])

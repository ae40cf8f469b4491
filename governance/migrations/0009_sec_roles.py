"""The officer roles SEC ownership filings commonly name, and the roles a filing's other
relationships become (10% owner, Other, Other officer), added to the catalogue.

An admin may have added some already, under another slug: a role is matched by its slug, its
name or another name it goes by (case ignored), and only a role matching none is created.
"""

from django.db import migrations
from django.db.models import Q

# (name, slug, kind, single_seat, position, other names it may go by)
ROLES = [
    ("Chief Commercial Officer", "chief-commercial-officer", "officer", True, 31, []),
    ("Chief Technology Officer", "cto", "officer", True, 32, []),
    ("Chief Administrative Officer", "chief-administrative-officer", "officer", True, 33, []),
    ("Chief Information Officer", "cio", "officer", True, 34, []),
    ("Chief Revenue Officer", "chief-revenue-officer", "officer", True, 35, []),
    ("Chief Marketing Officer", "chief-marketing-officer", "officer", True, 36, []),
    (
        "Chief Human Resources Officer",
        "chief-human-resources-officer",
        "officer",
        True,
        37,
        ["Chief People Officer"],
    ),
    ("Chief Medical Officer", "chief-medical-officer", "officer", True, 38, []),
    ("Chief Scientific Officer", "chief-scientific-officer", "officer", True, 39, []),
    ("Chief Strategy Officer", "chief-strategy-officer", "officer", True, 41, []),
    ("General Counsel", "general-counsel", "officer", True, 45, ["Chief Legal Officer"]),
    ("Chief Compliance Officer", "chief-compliance-officer", "officer", True, 46, []),
    ("Chief Risk Officer", "chief-risk-officer", "officer", True, 47, []),
    ("Chief Investment Officer", "chief-investment-officer", "officer", True, 48, []),
    ("Controller", "controller", "officer", True, 55, ["Comptroller"]),
    ("Other officer", "other-officer", "officer", False, 190, []),
    ("10% owner", "ten-percent-owner", "other", False, 300, ["Ten percent owner"]),
    ("Other", "other", "other", False, 310, []),
]


def _matching(Role, name, slug, aliases):
    condition = Q(slug=slug) | Q(name__iexact=name)
    for alias in aliases:
        condition |= Q(name__iexact=alias)
    return Role.objects.filter(condition)


def add_roles(apps, schema_editor):
    Role = apps.get_model("governance", "Role")
    for name, slug, kind, single_seat, position, aliases in ROLES:
        if not _matching(Role, name, slug, aliases).exists():
            Role.objects.create(
                name=name, slug=slug, kind=kind, single_seat=single_seat, position=position
            )


def remove_roles(apps, schema_editor):
    Role = apps.get_model("governance", "Role")
    for name, slug, *_ in ROLES:
        Role.objects.filter(slug=slug, name=name, tenures__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0008_company_cik_unique")]

    operations = [migrations.RunPython(add_roles, remove_roles)]

from django.db import migrations

# (name, slug, kind, single_seat, position): officers first, then the board.
ROLES = [
    ("Chief Executive Officer", "ceo", "officer", True, 10),
    ("President", "president", "officer", True, 20),
    ("Chief Operating Officer", "coo", "officer", True, 30),
    ("Chief Financial Officer", "cfo", "officer", True, 40),
    ("Chief Accounting Officer", "cao", "officer", True, 50),
    ("Treasurer", "treasurer", "officer", True, 60),
    ("Secretary", "secretary", "officer", True, 70),
    ("Vice President", "vice-president", "officer", False, 80),
    ("Chair", "chair", "board", True, 110),
    ("Vice Chair", "vice-chair", "board", True, 120),
    ("Lead Independent Director", "lead-independent-director", "board", True, 130),
    ("Director", "director", "board", False, 140),
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("governance", "Role")
    for name, slug, kind, single_seat, position in ROLES:
        Role.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "single_seat": single_seat, "position": position},
        )


def delete_roles(apps, schema_editor):
    Role = apps.get_model("governance", "Role")
    Role.objects.filter(slug__in=[slug for _, slug, *_ in ROLES], tenures__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(create_roles, delete_roles)]

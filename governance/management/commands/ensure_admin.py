"""python manage.py ensure_admin: says how to create an admin user when there is none."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Say whether an admin user exists, and how to create one if not."

    def handle(self, *args, **options):
        if get_user_model().objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "Admin: sign in at http://127.0.0.1:8000/admin/ with your admin user."
            )
        else:
            self.stdout.write(
                "No admin user yet. To edit the record, create one in another terminal:\n"
                "    .venv/bin/python manage.py createsuperuser\n"
                "then sign in at http://127.0.0.1:8000/admin/."
            )

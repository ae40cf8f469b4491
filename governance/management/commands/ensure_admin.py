"""python manage.py ensure_admin: says how to create an admin user when there is none."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Say whether an admin user exists, and how to create one if not."

    def handle(self, *args, **options):
        admin_url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/"
        if get_user_model().objects.filter(is_superuser=True).exists():
            self.stdout.write(f"Admin: sign in at {admin_url} with your admin user.")
        else:
            self.stdout.write(
                "No admin user yet. To edit the record, create one in another terminal:\n"
                "    .venv/bin/python manage.py createsuperuser\n"
                f"then sign in at {admin_url}."
            )

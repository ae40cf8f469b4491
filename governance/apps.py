"""The governance app: companies, roles, tenures, sources, and the pages over them."""

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"

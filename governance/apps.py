"""The governance app: companies, roles, tenures, sources, and the pages over them."""

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from records.history_origin import fill_origin

        pre_create_historical_record.connect(fill_origin, dispatch_uid="history_origin")

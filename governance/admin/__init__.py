"""The admin: every record model registered with history and a reason on each change, and the
tenure CSV import and export, and related-party transactions."""

from governance.admin import registrations, tenure_csv, transactions  # noqa: F401  (registers the model admins)

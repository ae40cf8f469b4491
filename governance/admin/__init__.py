"""The admin: every record model registered with history and a reason on each change, and the
tenure CSV import and export."""

from governance.admin import registrations, tenure_csv  # noqa: F401  (registers the model admins)

# The pages' date style (governance.models.partial_date, governance.history.versions), for
# Django's own renderings too: the admin's history, read-only fields and date filters.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i T"
TIME_FORMAT = "H:i"

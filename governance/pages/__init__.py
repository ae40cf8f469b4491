"""Shaping records for pages: the timeline chart, events and career paths, the A–Z letter bar,
and the data-quality checks."""

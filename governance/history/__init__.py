"""The record through time: the tracked models, each record's versions, the feed of recent
changes, and the record as it stood at a past moment."""

"""Record keeping both apps share: reading history, deleting and restoring with history, and
the admin that asks why on every change."""

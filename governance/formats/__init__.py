"""Date formats for English (FORMAT_MODULE_PATH): the admin and any template date without an
explicit format read "8 Sep 2004" and "26 Nov 2026, 11:15 UTC", as the pages do."""

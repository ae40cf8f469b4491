"""Whole public pages cached for anonymous readers, and answered with 304 when unchanged.

Pages are read far more often than the record changes. A page's key is its URL, today's date
(pages say "today") and the record's version (governance.history.tracked.record_version, which
every write changes), so a cached page is never stale and needs no invalidation. Logged-in
users, and anyone with a session or pending messages, get the page rendered afresh.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control

from governance.history.tracked import record_version

# Cookies that can change what a page shows: a session (a user, messages) or messages.
PERSONAL_COOKIES = ("sessionid", "messages")


def _cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and not request.user.is_authenticated
    )


def cached_page(view):
    """Serve the view's 200 responses from the cache for anonymous readers, with an ETag."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        parts = [request.get_full_path(), timezone.localdate().isoformat(), record_version()]
        etag = '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            key = f"page:{etag}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                # A response that sets a cookie is someone's own: never replay it to others.
                # A view marks one that will change before the record does (uncacheable).
                if (
                    response.status_code == 200
                    and not response.streaming
                    and not response.cookies
                    and not getattr(response, "uncacheable", False)
                ):
                    cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        if getattr(response, "uncacheable", False):
            patch_cache_control(response, no_cache=True)
        elif response.status_code in (200, 304):
            response["ETag"] = etag
            patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapper

"""/healthz: the bare view, 200 "ok" with no database and no template (benchmark baseline and
container healthcheck)."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")

"""What the pages need to know about htmx, which posts forms in place."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (it then wants a panel, not a whole page)."""
    return request.headers.get("HX-Request") == "true"

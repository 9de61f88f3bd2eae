"""A page with one form whose valid POST is saved by a service call: the committee's,
the monitoring's and any later record's pages share it, so each says what it did and
re-shows a refusal the same way."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[], str],
    *,
    refused: type[Exception],
    done_url: str,
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """On a valid POST, ``save`` writes and says what it did (shown as a success message)
    and the user goes to ``done_url``. Otherwise, or when ``save`` raises ``refused``, the
    form is shown again with the reasons: the exception's ``messages`` if it has them,
    else its text."""
    if request.method == "POST" and form.is_valid():
        try:
            done = save()
        except refused as refusal:
            for message in getattr(refusal, "messages", None) or [str(refusal)]:
                form.add_error(None, message)
        else:
            messages.success(request, done)
            return redirect(done_url)
    return render(request, template, {**context, "form": form})

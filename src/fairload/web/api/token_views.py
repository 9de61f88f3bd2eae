"""A person's own API tokens: make one (its key shown once), see them, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fairload.web.api.forms import ApiTokenForm
from fairload.web.api.models import ApiToken
from fairload.web.api.services import api_token_create, api_token_revoke
from fairload.web.audit.services import audit_record


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        audit_record(
            actor=request.user,
            action="api-token.create",
            summary=f"Made the API token '{token.name}'",
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "key": key})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked=False)
    api_token_revoke(token=token)
    audit_record(
        actor=request.user,
        action="api-token.revoke",
        summary=f"Revoked the API token '{token.name}'",
    )
    messages.success(request, f"The token '{token.name}' no longer works.")
    return redirect("api-tokens")

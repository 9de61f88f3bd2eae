"""A person's own account: what fairload holds about them, and two-factor sign-in.

Two-factor sign-in (TOTP, through django-otp) is offered to the roles that see
special-category data (union reps and officers, site administrators). Once set up it is
asked for at every sign-in (accounts/sign_in.py).
"""

from __future__ import annotations

import json
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairload.web.accounts.models import Membership
from fairload.web.accounts.policies import is_site_admin, may_use_two_factor
from fairload.web.accounts.privacy import person_data
from fairload.web.audit.services import audit_record

DEVICE_NAME = "Authenticator app"


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "roles": Membership.objects.filter(user=user).select_related("school", "council"),
            "two_factor_offered": may_use_two_factor(user),
            "people_url": reverse("people") if is_site_admin(user) else None,
            "two_factor_on": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),  # type: ignore[misc]
        },
    )


@login_required
@require_safe
def account_data(request: HttpRequest) -> HttpResponse:
    """Subject access (UK GDPR article 15): everything held about the person, as JSON."""
    data = person_data(request.user)
    audit_record(
        actor=request.user,
        action="personal-data.read",
        summary="Downloaded everything fairload holds about them",
    )
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="fairload-my-data-{stamp}.json"'
    return response


def _code_ok(device: TOTPDevice, code: str) -> bool:
    code = "".join(code.split())
    return code.isdigit() and bool(device.verify_token(code))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (scan the QR code or type the secret, then confirm with a code) or remove."""
    user = request.user
    if not may_use_two_factor(user):
        raise Http404("No such page")
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()  # type: ignore[misc]
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "")
        if confirmed is not None:
            if _code_ok(confirmed, code):
                with transaction.atomic():
                    TOTPDevice.objects.filter(user=user).delete()  # type: ignore[misc]
                    audit_record(
                        actor=user, action="two-factor.remove", summary="Turned off two-factor"
                    )
                messages.success(request, "Two-factor sign-in is off.")
                return redirect("account")
            error = "Enter the 6-digit code your app shows now"
        else:
            pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()  # type: ignore[misc]
            if pending is not None and _code_ok(pending, code):
                with transaction.atomic():
                    pending.confirmed = True
                    pending.save(update_fields=["confirmed"])
                    audit_record(
                        actor=user, action="two-factor.set-up", summary="Turned on two-factor"
                    )
                otp_login(request, pending)
                messages.success(request, "Two-factor sign-in is on: you will be asked for a code.")
                return redirect("account")
            error = "Enter the 6-digit code your app shows now"
    context: dict[str, object] = {"on": confirmed is not None, "error": error}
    if confirmed is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()  # type: ignore[misc]
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)  # type: ignore[misc]
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)

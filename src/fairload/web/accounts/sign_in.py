"""Sign-in: username and password, and a code from an authenticator app for a person who
has turned on two-factor sign-in (account page). A wrong or missing code counts as a
failed sign-in for the limits (django-axes), like a wrong password."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpResponse
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device


class SignInForm(AuthenticationForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=12,
        help_text="Only if you have turned on two-factor sign-in",
    )

    error_messages: ClassVar[dict[str, str]] = {
        **AuthenticationForm.error_messages,
        "code": "Enter the 6-digit code from your authenticator app",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user = self.get_user()
        self.otp_device = None
        if user is not None and user_has_device(user, confirmed=True):
            code = "".join(str(data.get("code") or "").split())
            self.otp_device = _device_accepting(user, code) if code.isdigit() else None
            if self.otp_device is None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": user.get_username()},
                    request=self.request,
                )
                self.user_cache = None
                raise forms.ValidationError(self.error_messages["code"], code="code")
        return data


def _device_accepting(user: Any, code: str) -> Device | None:
    """The person's confirmed device that accepts the code (its own throttling applies)."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


class SignInView(auth_views.LoginView):
    form_class = SignInForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        device = getattr(form, "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response

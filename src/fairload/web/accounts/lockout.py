"""Sign-in limits: per account at one address, and per address across accounts.

django-axes counts failed sign-ins and compares the largest count with one limit. fairload
wants two: a low one for one username from one address (someone guessing one person's
password) and a higher one for one address whatever the username (someone trying a few
passwords on many accounts, which the first limit alone never stops). This handler keeps
axes' own storage and reports a count that reaches the single limit when either is reached.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AccountAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Needs AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"], in that
    order (settings.py)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        account, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.FAIRLOAD_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(account, settings.AXES_FAILURE_LIMIT)
        return int(account)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A right password forgets that account's failures at that address only, so
        signing in to one account does not wipe the address's count for the others."""
        account, _ = self.filter_user_attempts(request, credentials)
        deleted, _ = account.delete()
        return int(deleted)

"""Issue, list or revoke a person's API tokens (also possible on the 'API tokens' page).

    fairload-web api_token issue alice --name "nightly export"
    fairload-web api_token list alice
    fairload-web api_token revoke 12

The key is printed once; only its SHA-256 is kept. A token can do exactly what its
person can do in the pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairload.web.api.models import ApiToken
from fairload.web.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Issue, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="make a token for a person")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="what the token is for")
        listing = actions.add_parser("list", help="a person's tokens")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="revoke a token by its number")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "revoke":
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"no token number {options['token_id']}")
            api_token_revoke(token=token)
            self.stdout.write(f"Revoked {token}")
            return
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no login '{options['username']}'")
        if options["action"] == "issue":
            token, key = api_token_create(user=user, name=options["name"])
            self.stdout.write(f"Token {token.pk} for {user.get_username()}: {key}")
            self.stdout.write(
                "Keep it safe: it is not shown again. Send it as 'Authorization: Bearer KEY'."
            )
            return
        for token in ApiToken.objects.filter(user=user):
            used = (
                f"last used {token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "never used"
            )
            state = "revoked" if token.revoked else "active"
            self.stdout.write(f"{token.pk:>5}  {token.name:<30} {state:<8} {used}")

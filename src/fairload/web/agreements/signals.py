"""A closed approval ballot changes the agreement's record (its vote), so the year's
cached checks must go: the ballot service knows nothing of years, so this listens."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from fairload.web.agreements.models import AgreementVersion
from fairload.web.ballots.models import Ballot
from fairload.web.schools.services import year_touch


@receiver(post_save, sender=Ballot, dispatch_uid="agreement-ballot-saved")
def ballot_saved(sender: type[Ballot], instance: Ballot, **kwargs: Any) -> None:
    version = (
        AgreementVersion.objects.filter(ballot=instance)
        .select_related("agreement__school_year")
        .first()
    )
    if version is not None:
        year_touch(version.agreement.school_year)

"""A closed approval ballot changes the agreement's record (its vote), so the year's
cached checks must go, and once it has approved the version the head teacher and union
representatives are asked to sign: the ballot service knows nothing of agreements, so
this listens."""

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
        AgreementVersion.objects.filter(ballot=instance).select_related("agreement__school").first()
    )
    if version is None:
        return
    year_touch(version.agreement.school_year)
    if instance.state == "closed" and (instance.result or {}).get("passed"):
        from fairload.web.agreements.services import (
            agreement_link,
            agreement_notify,
            committee_people,
        )

        year = version.agreement.school_year
        agreement_notify(
            kind="signature-wanted",
            agreement=version.agreement,
            recipients=committee_people(year),
            link=agreement_link(year),
        )

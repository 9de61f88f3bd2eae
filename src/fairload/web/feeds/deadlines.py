"""Deadlines in calendar feeds: a hook that other apps register their deadlines with.

A provider is a function ``(scope, now) -> iterable of Deadline``. ``scope.person`` is the
login a teacher's feed belongs to, set only when that person made the feed themselves
(so a deadline that depends on what they have done, such as "vote by" until they vote,
reaches no one else's calendar); it is None in the whole school's feed and in a teacher's
feed someone else made. Register once, at start-up (an AppConfig's ``ready``):

    from fairload.web.feeds.deadlines import Deadline, deadline_provider_register
    deadline_provider_register(my_deadlines)

Deadlines are read on every request of a feed, not kept with the year's events (which are
kept until the year changes), since they change with the process, not the year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Event as CalendarEvent

from fairload.web.accounts.policies import User
from fairload.web.schools.models import School


@dataclass(frozen=True)
class Deadline:
    """One dated thing someone must do: the feed shows it at ``due``, with the link."""

    #: unique and stable across requests (calendar apps update an event by its UID)
    uid: str
    title: str
    due: datetime
    #: a path on the site
    link: str
    description: str = ""


@dataclass(frozen=True)
class FeedScope:
    school: School
    #: the teacher's staff id, or None for the whole school's feed
    staff_id: str | None
    #: the feed's own person, if they made it themselves (see the module's docstring)
    person: User | None


Provider = Callable[[FeedScope, datetime], Iterable[Deadline]]
_PROVIDERS: list[Provider] = []


def deadline_provider_register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def deadlines_for(*, scope: FeedScope, now: datetime) -> list[Deadline]:
    """Every registered provider's deadlines for the feed, soonest first."""
    found = [d for provider in _PROVIDERS for d in provider(scope, now)]
    return sorted(found, key=lambda d: (d.due, d.uid))


def deadlines_ics(deadlines: Iterable[Deadline], *, school: School, site_url: str) -> bytes:
    """The deadlines as VEVENTs (no VCALENDAR around them), to add to a feed's text.

    Each is a moment (DTSTART with no end, RFC 5545 3.6.1) marked X-FAIRLOAD-DEADLINE, which
    the calendar importer skips, so a feed still imports back as the year's events."""
    stamp = datetime.now(tz=UTC)
    out = b""
    for deadline in deadlines:
        vevent = CalendarEvent()
        vevent.add("uid", f"{deadline.uid}@{school.slug}.fairload")
        vevent.add("dtstamp", stamp)
        vevent.add("summary", deadline.title)
        vevent.add("dtstart", deadline.due.astimezone(UTC))
        url = f"{site_url}{deadline.link}"
        vevent.add("url", url)
        vevent.add("description", f"{deadline.description}\n{url}".strip())
        vevent.add("x-fairload-deadline", "true")
        out += vevent.to_ical()
    return out


def feed_with_deadlines(body: bytes | str, extra: bytes) -> bytes:
    """The feed's text with the deadlines' VEVENTs before its END:VCALENDAR."""
    text = body.encode() if isinstance(body, str) else body
    if not extra:
        return text
    end = text.rindex(b"END:VCALENDAR")
    return text[:end] + extra + text[end:]

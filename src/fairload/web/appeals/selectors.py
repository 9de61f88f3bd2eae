"""Reading appeals and flexible approaches for the pages, and the appeal's record and
decision as plain data (``appeal_record_document``: what the appeal's PDF prints)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from fairload.core import process as core_process
from fairload.core.packs import load_bundled
from fairload.web.accounts.policies import User
from fairload.web.appeals import policies, steps
from fairload.web.appeals.models import (
    Appeal,
    AppealDocument,
    Attendee,
    Conclusion,
    FlexibleApproach,
    Meeting,
)
from fairload.web.appeals.record import flexible_current
from fairload.web.schools.models import Council, School

#: Each meeting's clause, as the source numbers them (two clauses are numbered 17.3).
MEETING_CLAUSES = {
    Meeting.Kind.INFORMAL: "17.3 (first)",
    Meeting.Kind.HEARING: "17.3 (second), 17.4",
}
ROLE_LABELS = dict(Attendee.As.choices)
CALLED_BY = dict(Attendee.CalledBy.choices)


def appeal_sections(user: User, school: School, current: str) -> list[dict[str, Any]]:
    """The school menu's items of this app: the planned flexible approach, where the
    school's pack describes one (3.3), and the appeal for its parties (section 17)."""
    items = []
    process = year_process_of(school)
    if process is not None and any(s.id == "flexible-approach-submitted" for s in process.steps):
        url = reverse("flexible-approach", args=[school.slug])
        names = ("flexible-approach", "flexible-approach-decide")
        items.append({"label": "Flexible hours", "url": url, "current": current in names})
    if policies.party_roles(user, school):
        appeal = Appeal.objects.filter(school=school).order_by("-opened_at").first()
        if appeal is not None:
            url = reverse("appeal-detail", args=[appeal.pk])
            items.append({"label": "Appeal", "url": url, "current": False})
    return items


def year_process_of(school: School) -> core_process.Process | None:
    return core_process.load_process(load_bundled(school.pack))


def appeals_of(council: Council) -> QuerySet[Appeal]:
    return Appeal.objects.filter(school__council=council).select_related("school", "report")


def appeal_get(pk: int) -> Appeal | None:
    return (
        Appeal.objects.select_related("school__council", "report__agreement").filter(pk=pk).first()
    )


def meetings_of(appeal: Appeal) -> dict[str, Meeting]:
    return {m.kind: m for m in appeal.meetings.prefetch_related("attendees")}


def conclusion_of(appeal: Appeal) -> Conclusion | None:
    return Conclusion.objects.filter(appeal=appeal).first()


def documents_by_stage(appeal: Appeal) -> dict[str, list[AppealDocument]]:
    out: dict[str, list[AppealDocument]] = {s: [] for s in AppealDocument.Stage.values}
    for document in appeal.documents.defer("content"):
        out[document.stage].append(document)
    return out


#: The meeting whose holding makes each of the core's steps done.
MEETING_STEPS = {"informal-meeting": Meeting.Kind.INFORMAL, "hearing": Meeting.Kind.HEARING}


def next_steps(appeal: Appeal, roles: list[str], today: date) -> list[str]:
    """What someone in these roles does next, in the core's words (its next actions);
    a meeting already convened is held, then its outcome recorded, so it says that."""
    meetings = meetings_of(appeal)
    labels = []
    for action in steps.next_actions(appeal, roles, today):
        meeting = meetings.get(MEETING_STEPS.get(action.step_id, ""))
        if meeting is not None and not action.waiting:
            day = f"{meeting.on:%A} {meeting.on.day} {meeting.on:%B %Y}"
            labels.append(f"Record the {meeting.get_kind_display().lower()}'s outcome ({day})")
        else:
            labels.append(action.label)
    return labels


def deciders(appeal: Appeal) -> list[dict[str, Any]]:
    """Who reaches the conclusion (17.5: "the Joint Secretaries (or their nominees)"): the
    Joint Secretaries or nominees who sat at the hearing, else the council's Joint
    Secretaries, as the record's attendees."""
    hearing = meetings_of(appeal).get(Meeting.Kind.HEARING)
    sat = [
        a
        for a in (hearing.attendees.all() if hearing else [])
        if a.role.startswith("joint-secretary")
    ]
    if sat:
        return [
            {"name": a.name, "role": a.role, **({"nominee": True} if a.nominee else {})}
            for a in sat
        ]
    from fairload.web.appeals.services import joint_secretaries, person_name

    school = appeal.school
    return [
        {"name": person_name(user), "role": side}
        for user in joint_secretaries(school)
        for side in policies.joint_secretary_sides(user, school.council_id)
    ]


@dataclass(frozen=True)
class QueueRow:
    appeal: Appeal
    stage_label: str
    next_step: str


def queue_rows(council: Council, roles: list[str], today: date) -> list[QueueRow]:
    """The council's appeals, each with its stage and what the Joint Secretaries do next."""
    rows = []
    for appeal in appeals_of(council):
        stage = steps.stage(appeal)
        labels = next_steps(appeal, roles, today)
        done = "Concluded" if stage and stage.complete else ""
        rows.append(QueueRow(appeal, stage.label if stage else "", labels[0] if labels else done))
    return rows


def flexible_pending(council: Council) -> QuerySet[FlexibleApproach]:
    return FlexibleApproach.objects.filter(
        school__council=council, decision=FlexibleApproach.Decision.PENDING
    ).select_related("school")


def flexible_history(school: School, label: str) -> list[FlexibleApproach]:
    return list(FlexibleApproach.objects.filter(school=school, label=label))


def flexible_of(school: School, label: str) -> FlexibleApproach | None:
    return flexible_current(school.pk, label)


def _attendee(a: Attendee) -> dict[str, Any]:
    return {
        "name": a.name,
        "role": a.role,
        "role_label": ROLE_LABELS.get(a.role, a.role),
        "nominee": a.nominee,
        "called_by": CALLED_BY.get(a.called_by, "") if a.called_by else "",
    }


def _document(d: AppealDocument) -> dict[str, Any]:
    return {
        "title": d.title,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "ref": d.ref,
        "filed_on": d.filed_at.date().isoformat(),
    }


def appeal_record_document(appeal: Appeal) -> dict[str, Any]:
    """The appeal's record and decision as plain data (text, numbers, ISO dates, lists and
    dicts only), for a document made from it (the appeal record PDF): the school, the
    report (17.2), each meeting with its clause, day, attendees, documents and outcome
    (17.3, 17.4), the conclusion (17.5, 17.1), the stage and the timeline."""
    school = appeal.school
    stage = steps.stage(appeal)
    documents = documents_by_stage(appeal)
    meetings = meetings_of(appeal)
    conclusion = conclusion_of(appeal)
    report = appeal.report
    out: dict[str, Any] = {
        "school": school.name,
        "council": school.council.name,
        "session": appeal.label,
        "opened_on": appeal.opened_at.date().isoformat(),
        "stage": stage.label if stage else "",
        "report": {
            "clause": "17.2",
            "on": report.started_at.date().isoformat(),
            "by": report.by,
            "by_label": report.get_by_display(),
            "reasons": report.text,
            "documents": [_document(d) for d in documents[AppealDocument.Stage.REPORT]],
        },
        "meetings": [],
        "conclusion": None,
        "timeline": [
            {
                "step": e.step_id,
                "label": e.label,
                "done": e.done,
                "on": e.on.isoformat() if e.on else None,
            }
            for e in steps.timeline(appeal, appeal.opened_at.date())
        ],
    }
    for kind in (Meeting.Kind.INFORMAL, Meeting.Kind.HEARING):
        meeting = meetings.get(kind)
        if meeting is None:
            continue
        out["meetings"].append(
            {
                "kind": kind.value,
                "title": kind.label,
                "clause": MEETING_CLAUSES[kind],
                "on": meeting.on.isoformat(),
                "place": meeting.place,
                "held": meeting.held,
                "attendees": [_attendee(a) for a in meeting.attendees.all()],
                "documents": [_document(d) for d in documents[kind.value]],
                "outcome": meeting.outcome,
                "notes": meeting.notes,
            }
        )
    if conclusion is not None:
        out["conclusion"] = {
            "clause": "17.5",
            "on": conclusion.on.isoformat(),
            "decision": conclusion.decision,
            "final_and_binding": True,
            "determines_arrangement": conclusion.determines_arrangement,
            "decided_by": [
                {**d, "role_label": ROLE_LABELS.get(d.get("role", ""), d.get("role", ""))}
                for d in conclusion.decided_by
            ],
            "documents": [_document(d) for d in documents[AppealDocument.Stage.CONCLUSION]],
        }
    return out

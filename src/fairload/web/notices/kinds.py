"""The kinds of notice: one per step of the agreement cycle, or of a teacher's pro-forma,
that asks someone to act or tells them it is done.

Each kind has a plain-text email template, ``notices/email/<name>.txt``, whose first line
is the subject. Every message names the school, the step, the deadline (where there is
one) and a link; none ever holds a vote, a tally before close, or anyone's union
membership (the context a caller passes is the only thing a template sees besides these).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoticeKind:
    name: str
    #: the step, as the list of one's notifications and the email name it
    step: str
    #: whether a notice of this kind must carry a deadline
    needs_deadline: bool = False
    #: context keys the template reads, which every notify() of the kind must give
    needs: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        return f"notices/email/{self.name}.txt"


CONSULTATION_OPEN = "consultation-open"
BALLOT_OPEN = "ballot-open"
BALLOT_REISSUED = "ballot-reissued"
BALLOT_CLOSING = "ballot-closing"
BALLOT_CLOSED = "ballot-closed"
SIGNATURE_WANTED = "signature-wanted"
AGREEMENT_SUBMITTED = "agreement-submitted"
AGREEMENT_RETURNED = "agreement-returned"
AGREEMENT_ACCEPTED = "agreement-accepted"
PROFORMA_SENT = "proforma-sent"
PROFORMA_RETURNED = "proforma-returned"
PROFORMA_AGREED = "proforma-agreed"
EVALUATION_OPEN = "evaluation-open"
# Appeals (section 17) and the flexible approach (3.3): web/appeals.
APPEAL_REPORTED = "appeal-reported"
APPEAL_MEETING = "appeal-meeting"
APPEAL_OUTCOME = "appeal-outcome"
APPEAL_CONCLUDED = "appeal-concluded"
FLEXIBLE_SUBMITTED = "flexible-submitted"
FLEXIBLE_DECIDED = "flexible-decided"

KINDS: dict[str, NoticeKind] = {
    k.name: k
    for k in (
        NoticeKind(CONSULTATION_OPEN, "Comment on the draft agreement", needs_deadline=True),
        NoticeKind(BALLOT_OPEN, "Vote on the agreement", needs_deadline=True, needs=("question",)),
        NoticeKind(
            BALLOT_REISSUED,
            "Vote again: the ballot paper was reissued",
            needs_deadline=True,
            needs=("question", "reason"),
        ),
        NoticeKind(
            BALLOT_CLOSING, "The ballot closes soon", needs_deadline=True, needs=("question",)
        ),
        NoticeKind(BALLOT_CLOSED, "The ballot has closed", needs=("question",)),
        NoticeKind(SIGNATURE_WANTED, "Sign the agreement"),
        NoticeKind(AGREEMENT_SUBMITTED, "Receive the school's agreement"),
        NoticeKind(AGREEMENT_RETURNED, "The council returned the agreement", needs=("reasons",)),
        NoticeKind(AGREEMENT_ACCEPTED, "The council accepted the agreement"),
        NoticeKind(
            PROFORMA_SENT, "Agree a teacher's balance-of-time pro-forma", needs=("teacher",)
        ),
        NoticeKind(
            PROFORMA_RETURNED,
            "Your line manager returned your pro-forma",
            needs=("comment", "manager"),
        ),
        NoticeKind(PROFORMA_AGREED, "Your line manager agreed your pro-forma", needs=("manager",)),
        NoticeKind(EVALUATION_OPEN, "Answer the annual evaluation", needs_deadline=True),
        NoticeKind(APPEAL_REPORTED, "Arrange the informal meeting", needs=("side",)),
        NoticeKind(APPEAL_MEETING, "Attend the appeal's meeting", needs=("meeting", "day")),
        NoticeKind(
            APPEAL_OUTCOME, "The appeal's meeting is recorded", needs=("meeting", "outcome")
        ),
        NoticeKind(APPEAL_CONCLUDED, "The Joint Secretaries' conclusion"),
        NoticeKind(FLEXIBLE_SUBMITTED, "Confirm the planned flexible approach"),
        NoticeKind(FLEXIBLE_DECIDED, "The Joint Secretaries answered", needs=("decision",)),
    )
}


def notice_kind(name: str) -> NoticeKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no notice kind '{name}' (known: {', '.join(KINDS)})") from None

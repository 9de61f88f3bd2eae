"""What a ballot tells the rest of the product, without importing it."""

from django.dispatch import Signal

#: Sent inside the step's transaction when a step has written notices for every elector
#: (services._notify): ``ballot``, ``kind`` (a BallotNotice.Kind) and ``now``. The notices app
#: queues their emails (notices/tasks.py), so the notices go out only if the step commits.
ballot_notices_made = Signal()

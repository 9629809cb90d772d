"""What the mentions app tells others without importing them.

`triaged` is sent when a person changes a mention's status or tone (sender: Mention,
with `organisation_id`): figures computed from those (reputation.replies.figures)
forget what they kept for that organisation.
"""

from django.dispatch import Signal

triaged = Signal()

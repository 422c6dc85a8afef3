"""Signals the parties app sends (documented here, where they are sent from).

attendance_recorded(sender=parties.models.Activity, activity_id, person_id, user_id, hours)
    Sent once the transaction that checked someone in at an activity has committed, never if it rolled back:
    `person_id` is the registry.Resident who attended (None for a staff user, then `user_id` is set), `hours` the
    activity's length in hours (a Decimal with one place). It is the points passbook's source of service records
    (积分存折): the points app connects a receiver that credits the attendance, idempotently by
    (activity_id, person_id or user_id), since a check-in happens once per sign-up.

consultation_attended(sender=parties.models.Meeting, meeting_id, person_id, user_id)
    Sent once per attendee after the transaction that recorded a consultation meeting (its attendees signed in,
    minutes, votes) has committed, never if it rolled back: `person_id` is the registry.Resident who took part
    (None for a staff user, then `user_id` is set). The points passbook credits "taking part in consultation" from
    it, idempotently by (meeting_id, person), since a meeting's record is written once.
"""

from django.dispatch import Signal

attendance_recorded = Signal()
consultation_attended = Signal()

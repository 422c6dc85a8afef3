"""Every write of the parties app: keyword-only, atomic, scoped (parties.manage over the record's node).
Views, the API, the admin and the commands call these."""

from .centres import (  # noqa: F401
    add_activity_photos,
    cancel_sign_up,
    check_in,
    open_centre,
    plan_activity,
    sign_up,
    summarise_activity,
)
from .consultation import (  # noqa: F401
    TOPICS,
    accept_topic,
    add_follow_up,
    close_topic,
    draft_notice,
    file_follow_up_as_event,
    finish_follow_up,
    implement_topic,
    publish_notice,
    raise_topic,
    record_meeting,
    resolve_topic,
    schedule_meeting,
    seat_member,
    set_up_committee,
    withdraw_topic,
)
from .members import (  # noqa: F401
    admit_member,
    log_service_hours,
    look_after,
    make_formal,
    name_central_household,
    register_at_home,
    stop_looking_after,
    transfer_member,
    transfer_out,
)
from .tree import (  # noqa: F401
    appoint_officer,
    archive_org,
    create_org,
    create_root,
    end_officer,
    move_org,
    rename_org,
    restore_org,
    set_led_buildings,
    set_led_grids,
    validate_org,
)
from .volunteers import enlist_partner, form_team, join_team, leave_team, set_leader  # noqa: F401

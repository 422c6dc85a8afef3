"""A community centre of A/S1/C1 with its sections, and an activity of it (for the centre and activity tests)."""

import datetime as dt

from parties import services

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=TZ)
STARTS = NOW + dt.timedelta(days=2)


def centre(world):
    return services.open_centre(
        node=world.node("A/S1/C1"), level="community", name="社区1党群服务中心", place="社区1路1号", hours="周一至周六 8:30-17:30",
        sections=[("party", "党员活动室"), ("culture", "文体活动室"), ("convenience", "")],
    )


def activity(world, capacity=3, **extra):
    return services.plan_activity(
        centre=extra.pop("centre", None) or centre(world), section="culture", title="太极拳教学", starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2), place="文体活动室", capacity=capacity,
        organiser=world.user("A/S1/C1:grid_head"), **extra,
    )

"""Settings of the filing bench: the project's settings, plus the bare-insert view's URLconf.

Used by the gunicorn that bench.filing starts (DJANGO_SETTINGS_MODULE=bench.filing_settings); everything else,
middleware, authentication, database options, comes unchanged from yaohai.settings and the environment.
"""

from yaohai.settings import *  # noqa: F403

ROOT_URLCONF = "bench.filing_urls"

# One account files thousands of events a minute here, which the per-account API throttle exists to stop; the
# bench measures the filing, so that throttle is off (the others do not apply to a signed-in caller).
API_THROTTLE_RATES = {**API_THROTTLE_RATES, "user": None}  # noqa: F405

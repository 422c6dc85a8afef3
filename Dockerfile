# e网清 — one image for web (gunicorn), worker (celery worker) and beat (celery beat); see docker-compose.yml.
# Each service runs the Makefile target of the same name, as on a host.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHON=/usr/local/bin/python3.11 \
    VENV=/opt/venv \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/data/media \
    DJANGO_STATICFILES_STORAGE=whitenoise.storage.CompressedStaticFilesStorage \
    CELERY_BEAT_SCHEDULE_FILE=/data/beat/celerybeat-schedule \
    HOST=0.0.0.0 \
    PORT=8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends make fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so code changes reuse this layer: `make install` creates $VENV and installs the lock file.
COPY Makefile requirements.lock pyproject.toml ./
RUN make install

COPY . .
# The key below exists only for this build step (settings refuse to load without one); it is not in the image's
# environment. Translations (.mo) are committed, so no compilemessages is needed.
RUN make install \
    && DJANGO_SECRET_KEY=collectstatic-at-build-time-only make static \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin yaohai \
    && mkdir -p /data/media /data/beat \
    && chown -R yaohai:yaohai /data

USER yaohai
EXPOSE 8000
CMD ["make", "serve"]

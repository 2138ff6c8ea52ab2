# The portal's one image: web (gunicorn), Celery worker, Celery beat and migrations.
# See docker-compose.yml and docs/deployment.md.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

# Pango for WeasyPrint (certificates, reports); fonts with complete Vietnamese glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation2 fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home portal

WORKDIR /app
COPY . .
# The install brings the pinned dependencies; what runs is the source tree (PYTHONPATH=/app),
# next to its templates/, static/ and locale/.
RUN pip install -c constraints.txt . \
    && rm -rf build *.egg-info \
    && DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py collectstatic --noinput -v0 \
    && rm -rf /app/var && mkdir -p /app/var/media \
    && chown -R portal:portal /app/var \
    && chmod +x deploy/entrypoint.sh

USER portal
EXPOSE 8000
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["web"]

# Kindling: one image for web, worker and beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    PATH=/opt/venv/bin:$PATH \
    KINDLING_VAR_DIR=/app/var

RUN pip install --no-cache-dir uv==0.13.9 \
    && useradd --create-home --uid 1000 kindling

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# collectstatic needs settings that say "production"; the real values come at run time.
RUN DJANGO_SECRET_KEY=build-only SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R kindling /app/var

USER kindling
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

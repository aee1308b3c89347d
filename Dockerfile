# Kindling: one image for web, worker and beat.
FROM python:3.12-slim-bookworm

# DJANGO_DEBUG=0 makes every container production: it refuses to start without a real
# DJANGO_SECRET_KEY and writes nothing outside /app/var.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_DEBUG=0 \
    KINDLING_VAR_DIR=/app/var

RUN pip install --no-cache-dir uv==0.13.9 \
    && useradd --create-home --uid 1000 kindling

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# collectstatic needs production settings; a throwaway key, since the real one comes at
# run time and never lives in the image.
RUN mkdir -p /app/var/staticfiles \
    && python -m config.messages compile \
    && DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
       SITE_URL=https://build.invalid python manage.py collectstatic --noinput \
    && chown -R kindling /app/var

USER kindling
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]

"""gunicorn's settings for the Docker image and docker compose: `gunicorn -c config/gunicorn.py`."""

import os

bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]  # inside the container; compose publishes it
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# Secret links (calendar feeds, invitations, unsubscribe and pause) are logged redacted.
logger_class = "config.logs.RedactingLogger"
# Nothing here manages gunicorn at run time; without this it opens a socket in $HOME.
control_socket_disable = True

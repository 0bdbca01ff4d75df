"""The WSGI entry point for gunicorn: `gunicorn wsgi:app` (APP_ENV=production), and the app
`flask --app wsgi` runs its commands in.
"""

import importlib.util

from app import create_app

app = create_app()

# The national data generator lives outside app/ (the factory never imports it) and a
# deployment may leave it out; where it is, `flask demo national` runs it. Adding the command
# imports only national.cli, which loads the generator when the command runs.
if importlib.util.find_spec("national") is not None:
    from national.cli import register

    register(app)

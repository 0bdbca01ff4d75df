"""The WSGI entry point for gunicorn: `gunicorn wsgi:app` (APP_ENV=production)."""

from app import create_app

app = create_app()

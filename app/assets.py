"""Static assets: fingerprinted names for templates, served by WhiteNoise with long caching.

The front-end build (assets/build.mjs) names each file NAME.HASH.EXT and writes
static/dist/manifest.json; `whitenoise.compress` then writes .gz and .br beside each file.
WhiteNoise serves them before Flask sees the request, picking the compressed variant the
browser accepts, and marks fingerprinted files immutable for a year.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask, url_for
from whitenoise import WhiteNoise

from config import BASE_DIR

STATIC_DIR = BASE_DIR / "static"
MANIFEST = STATIC_DIR / "dist" / "manifest.json"
ONE_YEAR = 60 * 60 * 24 * 365
# The 12 hex digits build.mjs puts in a name: app.b8097942ed3a.css
FINGERPRINTED = re.compile(r"\.[0-9a-f]{12}\.")


def load_manifest(path: Path = MANIFEST) -> dict[str, str]:
    """Each asset's name mapped to its fingerprinted file; empty before the first build."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return {}


def is_fingerprinted(path: str, url: str) -> bool:
    return bool(FINGERPRINTED.search(url))


def register(app: Flask) -> None:
    manifest = load_manifest()

    def asset_url(name: str) -> str:
        # An unbuilt name falls through to its plain path, so a missing build shows as a 404
        # in the browser rather than as an error on every page.
        return url_for("static", filename="dist/" + manifest.get(name, name))

    app.jinja_env.globals["asset_url"] = asset_url
    from app.security import security_headers

    static_headers = security_headers(app.config)

    def add_security_headers(headers, path: str, url: str) -> None:
        # WhiteNoise answers before Flask, so its files get the pages' headers here.
        for name, value in static_headers.items():
            headers[name] = value

    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(STATIC_DIR),
        prefix="static/",
        max_age=60,
        immutable_file_test=is_fingerprinted,
        add_headers_function=add_security_headers,
        autorefresh=app.debug,
    )
    # Flask's own static route stays for url_for; WhiteNoise answers before it is reached.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = ONE_YEAR

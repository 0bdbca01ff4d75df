"""Static assets: every page loads fingerprinted files, served compressed and cached a year."""

from __future__ import annotations

import re

import pytest

from app.assets import load_manifest
from tests.helpers import get_page

ASSETS = ("app.css", "htmx.min.js", "app.mjs", "govuk-frontend.min.js")


@pytest.fixture(scope="module")
def manifest() -> dict[str, str]:
    manifest = load_manifest()
    if not manifest:
        pytest.fail("static/dist/manifest.json is missing: run `make assets`")
    return manifest


def test_pages_load_the_fingerprinted_files(client, manifest):
    html = get_page(client, "/sign-in")
    for name in ("app.css", "htmx.min.js", "app.mjs"):
        assert f"/static/dist/{manifest[name]}" in html
        assert re.fullmatch(r"[\w-]+\.[0-9a-f]{12}(\.min)?\.\w+", manifest[name])
    assert "/static/dist/app.css" not in html


def test_the_module_imports_the_fingerprinted_govuk_frontend(client, manifest):
    response = client.get(f"/static/dist/{manifest['app.mjs']}")
    assert f"./{manifest['govuk-frontend.min.js']}" in response.get_data(as_text=True)
    response.close()


@pytest.mark.parametrize("name", ASSETS)
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_fingerprinted_files_are_compressed_and_immutable(client, manifest, name, encoding):
    plain = client.get(f"/static/dist/{manifest[name]}")
    plain_size = len(plain.get_data())
    plain.close()
    response = client.get(f"/static/dist/{manifest[name]}", headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    # The libraries shrink to under half; the few lines of app.mjs only a little.
    assert len(response.get_data()) < (plain_size / 2 if plain_size > 10_000 else plain_size)
    cache = response.headers["Cache-Control"]
    assert "max-age=315360000" in cache or "max-age=31536000" in cache
    assert "immutable" in cache
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Accept-Encoding" in response.headers["Vary"]
    response.close()


def test_files_without_a_fingerprint_are_cached_only_briefly(client):
    response = client.get("/static/dist/assets/manifest.json")
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]
    assert "max-age=60" in response.headers["Cache-Control"]
    response.close()


def test_an_unknown_asset_is_not_found(client):
    assert client.get("/static/dist/app.000000000000.css").status_code == 404

"""Management information: figures, charts and CSV downloads, and the rollups they read
(`flask rollups refresh`).

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("reports", __name__)


def register(app: Flask) -> None:
    from app.reports import routes  # noqa: F401 - they add to bp
    from app.reports.cli import rollups_cli

    app.register_blueprint(bp)
    app.cli.add_command(rollups_cli)

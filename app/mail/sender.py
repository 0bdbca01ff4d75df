"""An optional in-process outbox sender for development: a daemon thread that delivers
pending mail every few seconds, so nobody has to run `flask mail send` by hand.

Production runs `flask mail send` from a scheduler instead. Running both, or several app
processes each with a thread, is safe: every sender claims a message before sending it, so
no two senders ever hold the same one (see `app.mail.services`).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from app.extensions import db
from app.mail.services import deliver_pending

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 5.0


class InProcessSender(threading.Thread):
    def __init__(self, app: Flask, interval: float) -> None:
        super().__init__(name="outbox-sender", daemon=True)
        self.app = app
        self.interval = interval
        self._stopping = threading.Event()
        self._wake = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            self.deliver_once()
            self._wake.wait(self.interval)
            self._wake.clear()

    def deliver_once(self) -> None:
        with self.app.app_context():
            try:
                sent, failed = deliver_pending()
                if sent or failed:
                    log.info("Outbox: %s sent, %s failed", sent, failed)
            except Exception:
                # A bad moment (the database restarting) must not end the thread.
                log.exception("Outbox sender run failed")
            finally:
                db.session.remove()

    def wake(self) -> None:
        """Deliver now rather than at the end of the current wait."""
        self._wake.set()

    def stop(self, timeout: float | None = 10) -> None:
        self._stopping.set()
        self._wake.set()
        self.join(timeout)


def start_in_process_sender(app: Flask) -> InProcessSender | None:
    """Start the thread when `MAIL_SEND_IN_PROCESS` is true; otherwise do nothing."""
    if not app.config.get("MAIL_SEND_IN_PROCESS", False):
        return None
    sender = InProcessSender(
        app, float(app.config.get("MAIL_SEND_INTERVAL", DEFAULT_INTERVAL_SECONDS))
    )
    app.extensions["outbox_sender"] = sender
    sender.start()
    log.info("Outbox sender running in this process every %ss", sender.interval)
    return sender

"""A request id on every request and every log line: taken from the `X-Request-Id` header a
router or load balancer sends when it is sane, made here otherwise, and echoed in the
response's `X-Request-Id` so one request can be followed from the router to the logs.

How log lines look is configured in config.py (`logging_config`): JSON lines in production,
plain text in development. The formatter and the filter it names live here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-Id"
# What a sane incoming id looks like: letters, digits and a little punctuation, at most 128
# characters (a UUID, a hex string, an AWS or Cloudflare trace id). Anything else, such as a
# line break that would forge a log line, is replaced by an id of our own.
SANE = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def request_id() -> str:
    """This request's id, taken or made on first use."""
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if SANE.fullmatch(incoming) else uuid.uuid4().hex
    return str(g.request_id)


def echo_request_id(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    return response


def register(app: Flask) -> None:
    app.after_request(echo_request_id)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the request's id, or "-" outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() if has_request_context() else "-"
        return True


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, and the
    traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)

"""The 48-hour call-back: the blueprint, who may act on a call-back, and the queue.

The call screen is in `call_routes.py`, the coordinators' timeliness page in
`timeliness_routes.py`, the scheduler's command in `cli.py`; all register on `bp`.
"""

from __future__ import annotations

import uuid

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.callbacks import bp, queries, services
from app.callbacks.access import callback_or_404, is_claimer, may_release
from app.callbacks.forms import (
    ATTEMPT_LABELS,
    OUTCOME_LABELS,
)
from app.callbacks.models import CallBackStatus
from app.callbacks.rules import urgency
from app.extensions import db
from app.paging import page_number
from app.policy import allow
from app.rendering import render_page, wants_fragment


@bp.context_processor
def labels() -> dict:
    return {"attempt_labels": ATTEMPT_LABELS, "outcome_labels": OUTCOME_LABELS}


# --- the queue -------------------------------------------------------------------------------


def _rows(callbacks: list[queries.QueueRow], now) -> list[dict]:
    """The queue's rows as the template shows them; who is looking is read once, not per row."""
    me, may_claim = current_user.id, current_user.role.value == "lmra"
    return [
        {
            "callback": callback,
            "left": callback.due_at - now,
            "urgency": urgency(callback.due_at, now).value,
            "last_attempt": callback.last_attempt,
            "mine": callback.claimed_by_id == me,
            "may_claim": may_claim,
        }
        for callback in callbacks
    ]


@bp.route("/call-backs")
@allow("lmra", "coordinator")
def queue():
    show = "mine" if request.args.get("show") == "mine" else "all"
    page = page_number()
    now = services.utcnow()
    callbacks, has_next = queries.queue_page(
        current_user.district_id,
        claimed_by_id=current_user.id if show == "mine" else None,
        page=page,
    )
    context = {
        "rows": _rows(callbacks, now),
        "show": show,
        "page": page,
        "has_next": has_next,
        "now": now,
    }
    return render_page("callbacks/queue.html", "results", **context)


@bp.route("/call-backs/<uuid:callback_id>/claim", methods=["POST"])
@allow("lmra")
def claim(callback_id: uuid.UUID):
    callback = callback_or_404(callback_id)
    won = callback.status is CallBackStatus.OPEN and services.claim(callback, current_user)
    if wants_fragment():
        row = queries.queue_row(callback.id)
        if row is None:
            abort(404)
        return render_template(
            "callbacks/_queue_row.html",
            row=_rows([row], services.utcnow())[0],
            lost=not won and not is_claimer(row),
        )
    if won or is_claimer(callback):
        return redirect(url_for("callbacks.call", callback_id=callback.id))
    if callback.status is CallBackStatus.COMPLETED:
        flash(_("This call-back has already been completed."))
    elif callback.claimed_by is not None:
        flash(_("%(name)s has already claimed this call-back.", name=callback.claimed_by.name))
    return redirect(url_for("callbacks.queue"))


@bp.route("/call-backs/<uuid:callback_id>/release", methods=["POST"])
@allow("lmra", "coordinator")
def release(callback_id: uuid.UUID):
    callback = callback_or_404(callback_id)
    if callback.status is CallBackStatus.CLAIMED and not may_release(callback):
        abort(403)
    if services.release(callback):
        db.session.commit()
        flash(_("The call-back is back in the queue for anyone to claim."))
    return redirect(url_for("callbacks.queue"))

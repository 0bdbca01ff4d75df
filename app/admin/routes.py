"""Administration: staff accounts."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import District, Office
from app.admin import bp
from app.admin.forms import ROLE_LABELS, InviteStaffForm
from app.auth.models import Role, User
from app.auth.services import invite_staff
from app.extensions import db
from app.paging import page_number
from app.policy import allow

PAGE_SIZE = 50


@bp.route("/staff")
@allow("admin")
def staff():
    page = page_number()
    people = list(
        db.session.scalars(
            select(User)
            .where(User.role != Role.EMPLOYER)
            .options(joinedload(User.office), joinedload(User.district))
            .order_by(User.name, User.id)
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return render_template(
        "admin/staff.html",
        people=people[:PAGE_SIZE],
        page=page,
        has_next=len(people) > PAGE_SIZE,
        role_labels=ROLE_LABELS,
    )


@bp.route("/staff/invite", methods=["GET", "POST"])
@allow("admin")
def invite():
    offices = list(
        db.session.scalars(
            select(Office)
            .join(District)
            .options(joinedload(Office.district))
            .order_by(District.name, Office.name)
        )
    )
    form = InviteStaffForm()
    form.office.choices = [("", _("Select an office"))] + [
        (str(office.id), f"{office.name} ({office.district.name})") for office in offices
    ]
    if form.validate_on_submit():
        office = db.session.get(Office, uuid.UUID(form.office.data))
        person = invite_staff(
            email=form.email.data,
            name=form.name.data,
            role=Role(form.role.data),
            phone=form.phone.data or None,
            office_id=office.id,
            district_id=office.district_id,
        )
        db.session.commit()
        flash(_("We have emailed an invitation to %(email)s.", email=person.email))
        return redirect(url_for("admin.staff"))
    return render_template("admin/invite.html", form=form)

"""The roles a user may have: a shared module, so the access policy needs no area's models."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a user is. One role each: staff roles are DWP jobs, employers are one role."""

    EMPLOYER = "employer"
    LMRA = "lmra"
    DAM = "dam"
    COORDINATOR = "coordinator"
    TPPM = "tppm"
    ADVISER = "adviser"
    ADMIN = "admin"
    PROVIDER = "provider"  # a training provider's user: sees only its own PET courses

    @property
    def is_staff(self) -> bool:
        return self not in (Role.EMPLOYER, Role.PROVIDER)


STAFF_ROLES = tuple(role for role in Role if role.is_staff)

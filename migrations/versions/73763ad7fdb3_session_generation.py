"""A session generation on each user, raised at sign-out to end every copy of a session.

Revision ID: 73763ad7fdb3
Revises: 50adb75a29bc
Create Date: 2026-12-04 19:14:04.660221

"""

import sqlalchemy as sa
from alembic import op

revision = "73763ad7fdb3"
down_revision = "50adb75a29bc"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("session_generation")

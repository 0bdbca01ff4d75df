"""Sector courses invite employers, who join with their guaranteed interviews

Each course employer gets a status (existing rows, every one a bespoke course's employer or
one added to a sector course directly, have joined), the guaranteed interviews it offers,
and when it was invited and answered; `course_employer_event` keeps who did which. The two
new rollups (PET courses, and their job starts per employer) need no recount here: the first
`flask rollups refresh` finds no stored version for them and counts them in full.

Revision ID: aab0e7379d4b
Revises: 04e03378b3e6
Create Date: 2026-12-05 01:08:51.539522

"""
from alembic import op
import sqlalchemy as sa

import app.models_base


# revision identifiers, used by Alembic.
revision = 'aab0e7379d4b'
down_revision = '04e03378b3e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_employer_event',
    sa.Column('course_employer_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.Enum('invited', 'joined', 'declined', name='courseemployeraction', native_enum=False, length=20), nullable=False),
    sa.Column('guaranteed_interviews', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=False),
    sa.Column('at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_course_employer_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['course_employer_id'], ['course_employer.id'], name=op.f('fk_course_employer_event_course_employer_id_course_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_employer_event'))
    )
    with op.batch_alter_table('course_employer_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_employer_event_course_employer_id'), ['course_employer_id'], unique=False)

    with op.batch_alter_table('course_employer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('invited', 'joined', 'declined', name='courseemployerstatus', native_enum=False, length=20), server_default='joined', nullable=False))
        batch_op.add_column(sa.Column('guaranteed_interviews', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('invited_at', app.models_base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_at', app.models_base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    op.execute("DELETE FROM rollup_count WHERE rollup IN ('pet_courses', 'pet_outcomes')")
    op.execute("DELETE FROM rollup_dirty WHERE rollup IN ('pet_courses', 'pet_outcomes')")
    op.execute("DELETE FROM rollup_state WHERE rollup IN ('pet_courses', 'pet_outcomes')")
    with op.batch_alter_table('course_employer', schema=None) as batch_op:
        batch_op.drop_column('answered_at')
        batch_op.drop_column('invited_at')
        batch_op.drop_column('guaranteed_interviews')
        batch_op.drop_column('status')

    with op.batch_alter_table('course_employer_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_employer_event_course_employer_id'))

    op.drop_table('course_employer_event')

"""rollups for management information: counts by day, place and key, the days writes
marked for a recount, and when each rollup was last brought up to date

Revision ID: 7e937956e437
Revises: d9d5b5bd296b
Create Date: 2026-12-04 22:07:27.589689

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7e937956e437'
down_revision = 'd9d5b5bd296b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_count',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rollup', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('district_id', sa.Uuid(), nullable=True),
    sa.Column('office_id', sa.Uuid(), nullable=True),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('value_1', sa.Integer(), nullable=False),
    sa.Column('value_2', sa.Integer(), nullable=False),
    sa.Column('value_3', sa.Integer(), nullable=False),
    sa.Column('value_4', sa.Integer(), nullable=False),
    sa.Column('value_5', sa.Integer(), nullable=False),
    sa.Column('value_6', sa.Integer(), nullable=False),
    sa.Column('value_7', sa.Integer(), nullable=False),
    sa.Column('value_8', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollup_count'))
    )
    with op.batch_alter_table('rollup_count', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_count_rollup_day', ['rollup', 'day', 'district_id', 'office_id'], unique=False)

    op.create_table('rollup_dirty',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rollup', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollup_dirty'))
    )
    with op.batch_alter_table('rollup_dirty', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_dirty_rollup_day', ['rollup', 'day'], unique=False)

    op.create_table('rollup_state',
    sa.Column('rollup', sa.String(length=40), nullable=False),
    sa.Column('refreshed_epoch', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('rollup', name=op.f('pk_rollup_state'))
    )


def downgrade():
    op.drop_table('rollup_state')
    with op.batch_alter_table('rollup_dirty', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_dirty_rollup_day')

    op.drop_table('rollup_dirty')
    with op.batch_alter_table('rollup_count', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_count_rollup_day')

    op.drop_table('rollup_count')

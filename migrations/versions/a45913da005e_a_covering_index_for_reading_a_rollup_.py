"""a covering index for reading a rollup by district: the labour market's read of a nation
(a list of district ids) or a district is answered from the index alone on PostgreSQL; rows
without a district (the employer's rollups, most of the table) stay out of it. The labour
market rollups are now kept by month (their version 2): the first refresh after the deploy
recounts them in full.

Revision ID: a45913da005e
Revises: aab0e7379d4b
Create Date: 2026-12-05 02:16:32.776669

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a45913da005e'
down_revision = 'aab0e7379d4b'
branch_labels = None
depends_on = None

WITH_A_DISTRICT = sa.text('district_id IS NOT NULL')


def upgrade():
    with op.batch_alter_table('rollup_count', schema=None) as batch_op:
        batch_op.create_index(
            'ix_rollup_count_district_day',
            ['rollup', 'district_id', 'day'],
            unique=False,
            postgresql_include=['key', 'value_1', 'value_2', 'value_3', 'value_4'],
            postgresql_where=WITH_A_DISTRICT,
            sqlite_where=WITH_A_DISTRICT,
        )


def downgrade():
    with op.batch_alter_table('rollup_count', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_count_district_day')

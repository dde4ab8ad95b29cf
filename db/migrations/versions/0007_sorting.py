"""sorting checks: item criteria, carried recheck scores, check → finding, reported periods

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 16:02:59.530110
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reported_period',
    sa.Column('label', sa.String(length=10), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('reported_by', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('label', name=op.f('pk_reported_period'))
    )
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('criteria', sa.String(length=300), server_default='', nullable=False))

    with op.batch_alter_table('sorting_check', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finding_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sorting_check_finding_id_finding'), 'finding', ['finding_id'], ['id'])

    with op.batch_alter_table('sorting_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('sorting_score', schema=None) as batch_op:
        batch_op.drop_column('carried')

    with op.batch_alter_table('sorting_check', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sorting_check_finding_id_finding'), type_='foreignkey')
        batch_op.drop_column('finding_id')

    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.drop_column('criteria')
    op.drop_table('reported_period')

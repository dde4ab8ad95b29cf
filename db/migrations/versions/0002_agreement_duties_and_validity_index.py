"""agreement duties and validity index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:13:00.334931
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('frontage_agreement', schema=None) as batch_op:
        batch_op.create_index('ix_frontage_agreement_valid', ['business_id', 'status', 'start_date', 'end_date'], unique=False)

    with op.batch_alter_table('office_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_duties', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('office_profile', schema=None) as batch_op:
        batch_op.drop_column('agreement_duties')

    with op.batch_alter_table('frontage_agreement', schema=None) as batch_op:
        batch_op.drop_index('ix_frontage_agreement_valid')


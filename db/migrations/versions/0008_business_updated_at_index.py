"""index businesses by last change, for the ledger's sort

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 17:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_business_updated_at', 'business', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_business_updated_at', table_name='business')

"""covering index for the per-community counts of businesses

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Status first: an index led by `active` would look selective to SQLite's planner, which would
# then sort 190,000 rows for every ledger page instead of walking the sort column's index.
def upgrade() -> None:
    op.create_index('ix_business_rate', 'business', ['status', 'active', 'community_id', 'grid_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_business_rate', table_name='business')

"""index notice_finding by finding

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 16:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Without it, finding the notice of each finding on a list page scanned every notice.
def upgrade() -> None:
    op.create_index('ix_notice_finding_finding_id', 'notice_finding', ['finding_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_notice_finding_finding_id', table_name='notice_finding')

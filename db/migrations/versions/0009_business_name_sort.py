"""pinyin sort key for business names, filled for the rows already there

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 18:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000
NAME_SORT = sa.String(length=800).with_variant(sa.String(length=800, collation='C'), 'postgresql')


# Not a batch migration: a plain ADD COLUMN leaves the table (and, on SQLite, the search
# index's triggers from 0004) in place.
def upgrade() -> None:
    op.add_column('business', sa.Column('name_sort', NAME_SORT, server_default='', nullable=False))
    _backfill(op.get_bind())
    # Built once after the backfill rather than kept up through every UPDATE.
    op.create_index('ix_business_name_sort', 'business', ['name_sort'], unique=False)


def _backfill(conn: sa.Connection) -> None:
    # The program's own key, so migrated rows sort exactly like rows saved later.
    from desktop.domain.textkeys import name_sort

    business = sa.table('business', sa.column('id', sa.Integer), sa.column('name', sa.String),
                        sa.column('name_sort', sa.String))
    update = (business.update().where(business.c.id == sa.bindparam('row_id'))
              .values(name_sort=sa.bindparam('key')))
    last = 0
    while True:
        rows = conn.execute(sa.select(business.c.id, business.c.name)
                            .where(business.c.id > last).order_by(business.c.id)
                            .limit(BATCH)).all()
        if not rows:
            return
        conn.execute(update, [{'row_id': row_id, 'key': name_sort(name)} for row_id, name in rows])
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index('ix_business_name_sort', table_name='business')
    op.drop_column('business', 'name_sort')

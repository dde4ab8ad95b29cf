"""notice frozen after issue; recheck officers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 15:33:03.805017
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An issued notice is frozen: the service refuses edits, and so does the database, so that
# a script or a SQL console cannot rewrite a document the party already holds.
EDIT_MESSAGE = '已签发的文书不能修改，只能作废'
DELETE_MESSAGE = '已签发的文书不能删除，只能作废'
VOID_MESSAGE = '已作废的文书不能恢复或再次修改'
VOID_REASON_MESSAGE = '作废文书必须填写原因'
LINK_MESSAGE = '已签发文书所涉及的问题不能更改'

# The notice columns as of this revision; a later migration that adds a column to notice
# must recreate the SQLite trigger (and re-create all three after a batch rebuild of notice).
FROZEN_COLUMNS = (
    'id', 'kind', 'year', 'seq', 'number', 'issued_at', 'business_id', 'party', 'party_address',
    'facts', 'legal_basis_text', 'order_kind', 'deadline', 'correction', 'officer1',
    'officer1_cert', 'officer2', 'officer2_cert', 'related_notice_id', 'body',
)

SQLITE_UP = [
    "CREATE TRIGGER notice_frozen_update BEFORE UPDATE ON notice WHEN "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_COLUMNS)
    + f" BEGIN SELECT RAISE(ABORT, '{EDIT_MESSAGE}'); END",
    "CREATE TRIGGER notice_void_final BEFORE UPDATE ON notice WHEN OLD.voided_at IS NOT NULL"
    " AND (NEW.voided_at IS NOT OLD.voided_at OR NEW.void_reason IS NOT OLD.void_reason)"
    f" BEGIN SELECT RAISE(ABORT, '{VOID_MESSAGE}'); END",
    "CREATE TRIGGER notice_void_reason BEFORE UPDATE ON notice WHEN NEW.voided_at IS NOT NULL"
    " AND trim(coalesce(NEW.void_reason, '')) = ''"
    f" BEGIN SELECT RAISE(ABORT, '{VOID_REASON_MESSAGE}'); END",
    f"CREATE TRIGGER notice_no_delete BEFORE DELETE ON notice BEGIN SELECT RAISE(ABORT, '{DELETE_MESSAGE}'); END",
    f"CREATE TRIGGER notice_finding_no_update BEFORE UPDATE ON notice_finding BEGIN SELECT RAISE(ABORT, '{LINK_MESSAGE}'); END",
    f"CREATE TRIGGER notice_finding_no_delete BEFORE DELETE ON notice_finding BEGIN SELECT RAISE(ABORT, '{LINK_MESSAGE}'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS notice_finding_no_delete",
    "DROP TRIGGER IF EXISTS notice_finding_no_update",
    "DROP TRIGGER IF EXISTS notice_no_delete",
    "DROP TRIGGER IF EXISTS notice_void_reason",
    "DROP TRIGGER IF EXISTS notice_void_final",
    "DROP TRIGGER IF EXISTS notice_frozen_update",
]

# integrity_constraint_violation: both drivers then raise IntegrityError, as SQLite's ABORT does.
PG_UP = [
    f"""CREATE FUNCTION notice_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '{DELETE_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- Compared as jsonb so that a column added later is frozen without touching this function.
    IF (to_jsonb(NEW) - 'voided_at' - 'void_reason') IS DISTINCT FROM
       (to_jsonb(OLD) - 'voided_at' - 'void_reason') THEN
        RAISE EXCEPTION '{EDIT_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.voided_at IS NOT NULL AND (NEW.voided_at IS DISTINCT FROM OLD.voided_at
       OR NEW.void_reason IS DISTINCT FROM OLD.void_reason) THEN
        RAISE EXCEPTION '{VOID_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.voided_at IS NOT NULL AND trim(coalesce(NEW.void_reason, '')) = '' THEN
        RAISE EXCEPTION '{VOID_REASON_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$""",
    "CREATE TRIGGER notice_frozen BEFORE UPDATE OR DELETE ON notice"
    " FOR EACH ROW EXECUTE FUNCTION notice_frozen()",
    f"""CREATE FUNCTION notice_finding_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{LINK_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END
$$""",
    "CREATE TRIGGER notice_finding_frozen BEFORE UPDATE OR DELETE ON notice_finding"
    " FOR EACH ROW EXECUTE FUNCTION notice_finding_frozen()",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS notice_finding_frozen ON notice_finding",
    "DROP FUNCTION IF EXISTS notice_finding_frozen()",
    "DROP TRIGGER IF EXISTS notice_frozen ON notice",
    "DROP FUNCTION IF EXISTS notice_frozen()",
]


def _statements(sqlite: list[str], postgresql: list[str]) -> list[str]:
    name = op.get_bind().dialect.name
    if name == 'sqlite':
        return sqlite
    if name == 'postgresql':
        return postgresql
    raise NotImplementedError(f'no notice triggers for {name}')


def upgrade() -> None:
    with op.batch_alter_table('recheck', schema=None) as batch_op:
        batch_op.add_column(sa.Column('officer1', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('officer1_cert', sa.String(length=30), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('officer2', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('officer2_cert', sa.String(length=30), nullable=False, server_default=''))

    for statement in _statements(SQLITE_UP, PG_UP):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(SQLITE_DOWN, PG_DOWN):
        op.execute(statement)

    with op.batch_alter_table('recheck', schema=None) as batch_op:
        batch_op.drop_column('officer2_cert')
        batch_op.drop_column('officer2')
        batch_op.drop_column('officer1_cert')
        batch_op.drop_column('officer1')

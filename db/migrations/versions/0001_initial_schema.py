"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 15:06:19.146654
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=50), nullable=False),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('cert_no', sa.String(length=30), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('login', name=op.f('uq_app_user_login'))
    )
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_kind', sa.String(length=30), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('mime', sa.String(length=50), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_owner', ['owner_kind', 'owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=50), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)

    op.create_table('checklist_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_type', sa.String(length=10), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('pass_score', sa.Float(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_template')),
    sa.UniqueConstraint('site_type', 'version_no', name=op.f('uq_checklist_template_site_type'))
    )
    op.create_table('community',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community')),
    sa.UniqueConstraint('name', name=op.f('uq_community_name'))
    )
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('header_key', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
    sa.UniqueConstraint('header_key', name=op.f('uq_import_mapping_header_key'))
    )
    op.create_table('legal_basis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('law', sa.String(length=100), nullable=False),
    sa.Column('article', sa.String(length=50), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('penalty', sa.Text(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_basis'))
    )
    op.create_table('number_sequence',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'year', name=op.f('pk_number_sequence'))
    )
    op.create_table('numbering_pattern',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.Column('pattern', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_numbering_pattern')),
    sa.UniqueConstraint('kind', name=op.f('uq_numbering_pattern_kind'))
    )
    op.create_table('office_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('seal_text', sa.String(length=100), nullable=False),
    sa.Column('agreement_term_months', sa.Integer(), nullable=False),
    sa.Column('agreement_copies', sa.Integer(), nullable=False),
    sa.Column('sign_max_protrusion_m', sa.Float(), nullable=False),
    sa.Column('sign_max_area_m2', sa.Float(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_profile'))
    )
    op.create_table('checklist_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('group_name', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('max_score', sa.Float(), nullable=False),
    sa.Column('deduct', sa.Boolean(), nullable=False),
    sa.Column('veto', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_template.id'], name=op.f('fk_checklist_item_template_id_checklist_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_item'))
    )
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_item_template_id'), ['template_id'], unique=False)

    op.create_table('grid',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('keeper', sa.String(length=50), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_grid_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid')),
    sa.UniqueConstraint('community_id', 'name', name=op.f('uq_grid_community_id'))
    )
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_community_id'), ['community_id'], unique=False)

    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('route', sa.String(length=200), nullable=False),
    sa.Column('inspectors', sa.String(length=100), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_inspection_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection'))
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_started_at'), ['started_at'], unique=False)

    op.create_table('business',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('legacy_code', sa.Boolean(), nullable=False),
    sa.Column('operator', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('licence_displayed', sa.Boolean(), nullable=False),
    sa.Column('initials', sa.String(length=100), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('remarks', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_business_community_id_community')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_business_grid_id_grid')),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_business_import_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_business_credit_code'))
    )
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_active'), ['active'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_initials'), ['initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_operator'), ['operator'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_status'), ['status'], unique=False)

    op.create_table('finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('found_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=True),
    sa.Column('person', sa.String(length=50), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('inspectors', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_finding_business_id_business')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_finding_community_id_community')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_finding_grid_id_grid')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_finding_inspection_id_inspection')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding'))
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_found_at'), ['found_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index('ix_finding_status_deadline', ['status', 'deadline'], unique=False)

    op.create_table('frontage_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('area_east', sa.String(length=100), nullable=False),
    sa.Column('area_west', sa.String(length=100), nullable=False),
    sa.Column('area_south', sa.String(length=100), nullable=False),
    sa.Column('area_north', sa.String(length=100), nullable=False),
    sa.Column('area_text', sa.String(length=1000), nullable=False),
    sa.Column('frontage_length_m', sa.Float(), nullable=True),
    sa.Column('area_m2', sa.Float(), nullable=True),
    sa.Column('duties', sa.JSON(), nullable=False),
    sa.Column('five_duties', sa.Boolean(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('office_signatory', sa.String(length=50), nullable=False),
    sa.Column('business_signatory', sa.String(length=50), nullable=False),
    sa.Column('signed_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('terminated_reason', sa.String(length=200), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_frontage_agreement_business_id_business')),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_frontage_agreement_import_batch_id_import_batch')),
    sa.ForeignKeyConstraint(['previous_id'], ['frontage_agreement.id'], name=op.f('fk_frontage_agreement_previous_id_frontage_agreement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_frontage_agreement')),
    sa.UniqueConstraint('number', name=op.f('uq_frontage_agreement_number'))
    )
    with op.batch_alter_table('frontage_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_frontage_agreement_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_frontage_agreement_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_frontage_agreement_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_frontage_agreement_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_frontage_agreement_status'), ['status'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=True),
    sa.Column('party', sa.String(length=100), nullable=False),
    sa.Column('party_address', sa.String(length=200), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('legal_basis_text', sa.Text(), nullable=False),
    sa.Column('order_kind', sa.String(length=10), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('correction', sa.Text(), nullable=False),
    sa.Column('officer1', sa.String(length=50), nullable=False),
    sa.Column('officer1_cert', sa.String(length=30), nullable=False),
    sa.Column('officer2', sa.String(length=50), nullable=False),
    sa.Column('officer2_cert', sa.String(length=30), nullable=False),
    sa.Column('related_notice_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_notice_business_id_business')),
    sa.ForeignKeyConstraint(['related_notice_id'], ['notice.id'], name=op.f('fk_notice_related_notice_id_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('kind', 'year', 'seq', name=op.f('uq_notice_kind')),
    sa.UniqueConstraint('number', name=op.f('uq_notice_number'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_kind'), ['kind'], unique=False)

    op.create_table('sign_permit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.Column('decision_number', sa.String(length=60), nullable=True),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('sign_type', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('facade_position', sa.String(length=100), nullable=False),
    sa.Column('width_m', sa.Float(), nullable=False),
    sa.Column('height_m', sa.Float(), nullable=False),
    sa.Column('protrusion_m', sa.Float(), nullable=False),
    sa.Column('material', sa.String(length=50), nullable=False),
    sa.Column('lighting', sa.String(length=20), nullable=False),
    sa.Column('install_height_m', sa.Float(), nullable=True),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('applied_date', sa.Date(), nullable=True),
    sa.Column('exemption_reason', sa.String(length=200), nullable=False),
    sa.Column('decision_reason', sa.String(length=1000), nullable=False),
    sa.Column('conditions', sa.String(length=1000), nullable=False),
    sa.Column('legal_basis_text', sa.Text(), nullable=False),
    sa.Column('removal_reason', sa.String(length=50), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_sign_permit_business_id_business')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_permit')),
    sa.UniqueConstraint('decision_number', name=op.f('uq_sign_permit_decision_number')),
    sa.UniqueConstraint('number', name=op.f('uq_sign_permit_number'))
    )
    with op.batch_alter_table('sign_permit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_permit_applied_date'), ['applied_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_permit_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_permit_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_permit_status'), ['status'], unique=False)

    op.create_table('sorting_site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('site_type', sa.String(length=10), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('responsible', sa.String(length=50), nullable=False),
    sa.Column('contact', sa.String(length=30), nullable=False),
    sa.Column('collection_points', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_sorting_site_business_id_business')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_sorting_site_community_id_community')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_sorting_site_grid_id_grid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sorting_site'))
    )
    with op.batch_alter_table('sorting_site', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sorting_site_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sorting_site_site_type'), ['site_type'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('recipient', sa.String(length=50), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('delivered_at', sa.DateTime(), nullable=False),
    sa.Column('refused', sa.Boolean(), nullable=False),
    sa.Column('witness', sa.String(length=50), nullable=False),
    sa.Column('deliverer', sa.String(length=100), nullable=False),
    sa.Column('remarks', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_delivery_notice_id_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_notice_id'), ['notice_id'], unique=False)

    op.create_table('notice_finding',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_notice_finding_finding_id_finding')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_finding_notice_id_notice')),
    sa.PrimaryKeyConstraint('notice_id', 'finding_id', name=op.f('pk_notice_finding'))
    )
    op.create_table('permit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=50), nullable=False),
    sa.Column('notes', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['permit_id'], ['sign_permit.id'], name=op.f('fk_permit_event_permit_id_sign_permit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permit_event'))
    )
    with op.batch_alter_table('permit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_permit_event_permit_id'), ['permit_id'], unique=False)

    op.create_table('recheck',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('officers', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_recheck_finding_id_finding')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_recheck_notice_id_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recheck')),
    sa.UniqueConstraint('number', name=op.f('uq_recheck_number'))
    )
    with op.batch_alter_table('recheck', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recheck_finding_id'), ['finding_id'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('receiving_unit', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_referral_finding_id_finding')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_finding_id'), ['finding_id'], unique=False)

    op.create_table('sign_safety_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=False),
    sa.Column('check_date', sa.Date(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('hazards', sa.JSON(), nullable=False),
    sa.Column('notes', sa.String(length=1000), nullable=False),
    sa.Column('inspector', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['permit_id'], ['sign_permit.id'], name=op.f('fk_sign_safety_check_permit_id_sign_permit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_safety_check'))
    )
    with op.batch_alter_table('sign_safety_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_safety_check_permit_id'), ['permit_id'], unique=False)

    op.create_table('sorting_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('check_date', sa.Date(), nullable=False),
    sa.Column('inspectors', sa.String(length=100), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('vetoed', sa.Boolean(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('recheck_of_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.String(length=1000), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['recheck_of_id'], ['sorting_check.id'], name=op.f('fk_sorting_check_recheck_of_id_sorting_check')),
    sa.ForeignKeyConstraint(['site_id'], ['sorting_site.id'], name=op.f('fk_sorting_check_site_id_sorting_site')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_template.id'], name=op.f('fk_sorting_check_template_id_checklist_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sorting_check'))
    )
    with op.batch_alter_table('sorting_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sorting_check_check_date'), ['check_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sorting_check_recheck_of_id'), ['recheck_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sorting_check_site_id'), ['site_id'], unique=False)

    op.create_table('sorting_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('failed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['sorting_check.id'], name=op.f('fk_sorting_score_check_id_sorting_check')),
    sa.ForeignKeyConstraint(['item_id'], ['checklist_item.id'], name=op.f('fk_sorting_score_item_id_checklist_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sorting_score')),
    sa.UniqueConstraint('check_id', 'item_id', name=op.f('uq_sorting_score_check_id'))
    )
    with op.batch_alter_table('sorting_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sorting_score_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sorting_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sorting_score_item_id'))

    op.drop_table('sorting_score')
    with op.batch_alter_table('sorting_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sorting_check_site_id'))
        batch_op.drop_index(batch_op.f('ix_sorting_check_recheck_of_id'))
        batch_op.drop_index(batch_op.f('ix_sorting_check_check_date'))

    op.drop_table('sorting_check')
    with op.batch_alter_table('sign_safety_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_safety_check_permit_id'))

    op.drop_table('sign_safety_check')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_finding_id'))

    op.drop_table('referral')
    with op.batch_alter_table('recheck', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recheck_finding_id'))

    op.drop_table('recheck')
    with op.batch_alter_table('permit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_permit_event_permit_id'))

    op.drop_table('permit_event')
    op.drop_table('notice_finding')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_notice_id'))

    op.drop_table('delivery')
    with op.batch_alter_table('sorting_site', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sorting_site_site_type'))
        batch_op.drop_index(batch_op.f('ix_sorting_site_community_id'))

    op.drop_table('sorting_site')
    with op.batch_alter_table('sign_permit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_permit_status'))
        batch_op.drop_index(batch_op.f('ix_sign_permit_end_date'))
        batch_op.drop_index(batch_op.f('ix_sign_permit_business_id'))
        batch_op.drop_index(batch_op.f('ix_sign_permit_applied_date'))

    op.drop_table('sign_permit')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_kind'))
        batch_op.drop_index(batch_op.f('ix_notice_issued_at'))
        batch_op.drop_index(batch_op.f('ix_notice_business_id'))

    op.drop_table('notice')
    with op.batch_alter_table('frontage_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_frontage_agreement_status'))
        batch_op.drop_index(batch_op.f('ix_frontage_agreement_start_date'))
        batch_op.drop_index(batch_op.f('ix_frontage_agreement_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_frontage_agreement_end_date'))
        batch_op.drop_index(batch_op.f('ix_frontage_agreement_business_id'))

    op.drop_table('frontage_agreement')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_status_deadline')
        batch_op.drop_index(batch_op.f('ix_finding_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_finding_found_at'))
        batch_op.drop_index(batch_op.f('ix_finding_community_id'))
        batch_op.drop_index(batch_op.f('ix_finding_category'))
        batch_op.drop_index(batch_op.f('ix_finding_business_id'))

    op.drop_table('finding')
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_status'))
        batch_op.drop_index(batch_op.f('ix_business_phone'))
        batch_op.drop_index(batch_op.f('ix_business_operator'))
        batch_op.drop_index(batch_op.f('ix_business_name'))
        batch_op.drop_index(batch_op.f('ix_business_initials'))
        batch_op.drop_index(batch_op.f('ix_business_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_business_grid_id'))
        batch_op.drop_index(batch_op.f('ix_business_community_id'))
        batch_op.drop_index(batch_op.f('ix_business_category'))
        batch_op.drop_index(batch_op.f('ix_business_address'))
        batch_op.drop_index(batch_op.f('ix_business_active'))

    op.drop_table('business')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_started_at'))

    op.drop_table('inspection')
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_community_id'))

    op.drop_table('grid')
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_item_template_id'))

    op.drop_table('checklist_item')
    op.drop_table('office_profile')
    op.drop_table('numbering_pattern')
    op.drop_table('number_sequence')
    op.drop_table('legal_basis')
    op.drop_table('import_mapping')
    op.drop_table('import_batch')
    op.drop_table('community')
    op.drop_table('checklist_template')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index('ix_audit_entity')

    op.drop_table('audit_entry')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index('ix_attachment_owner')

    op.drop_table('attachment')
    op.drop_table('app_user')

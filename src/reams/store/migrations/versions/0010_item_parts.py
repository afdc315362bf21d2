"""item_parts (huge documents parsed in page parts on several workers) and the job's
pages_total / pages_done counters

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 17:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('pages_total', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.add_column(
            sa.Column('pages_done', sa.Integer(), server_default='0', nullable=False)
        )
    op.create_table(
        'item_parts',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('item_row_id', sa.String(length=64), nullable=False),
        sa.Column('job_id', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('part_no', sa.Integer(), nullable=False),
        sa.Column('first_page', sa.Integer(), nullable=False),
        sa.Column('last_page', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('losses', sa.Integer(), server_default='0', nullable=False),
        sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
        sa.Column('lease_owner', sa.String(length=64), nullable=True),
        sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('output_sha256', sa.String(length=64), nullable=True),
        sa.Column('error_code', sa.String(length=64), nullable=True),
        sa.Column('error_message', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['item_row_id'], ['items.id']),
        sa.ForeignKeyConstraint(['job_id'], ['jobs.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_item_parts_job_status', 'item_parts', ['job_id', 'status', 'kind', 'part_no']
    )
    op.create_index('ix_item_parts_item', 'item_parts', ['item_row_id', 'part_no'])
    op.create_index('ix_item_parts_lease', 'item_parts', ['status', 'lease_expires_at'])


def downgrade() -> None:
    op.drop_index('ix_item_parts_lease', table_name='item_parts')
    op.drop_index('ix_item_parts_item', table_name='item_parts')
    op.drop_index('ix_item_parts_job_status', table_name='item_parts')
    op.drop_table('item_parts')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('pages_done')
        batch_op.drop_column('pages_total')

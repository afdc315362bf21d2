"""worker heartbeats; why a job's orchestration could not be started yet

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workers',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('hostname', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('task_queue', sa.String(length=256), nullable=False),
    sa.Column('namespace', sa.String(length=256), nullable=False),
    sa.Column('slots', sa.Integer(), nullable=False),
    sa.Column('heartbeat_s', sa.Float(), nullable=False),
    sa.Column('items_done', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.create_index('ix_workers_queue_seen', ['task_queue', 'last_seen_at'], unique=False)

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dispatch_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('dispatch_error_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('dispatch_error_at')
        batch_op.drop_column('dispatch_error')

    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.drop_index('ix_workers_queue_seen')

    op.drop_table('workers')

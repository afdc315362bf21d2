"""jobs.priority (orders jobs within a project) and projects.served / served_at (recent
service, so that claims let projects take turns)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-12 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('priority', sa.Integer(), server_default='0', nullable=False)
        )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('served', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('served_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('served_at')
        batch_op.drop_column('served')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('priority')

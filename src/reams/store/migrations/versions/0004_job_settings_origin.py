"""job settings and origin

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 22:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: jobs created before this revision are resolved from job_config when read.
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('origin', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('api', sa.String(length=16), nullable=True))
        batch_op.create_index(
            'ix_jobs_project_api_created', ['project_id', 'api', 'created_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_project_api_created')
        batch_op.drop_column('api')
        batch_op.drop_column('origin')
        batch_op.drop_column('settings')

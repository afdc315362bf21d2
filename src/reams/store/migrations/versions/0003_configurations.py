"""saved product configurations and webhook configurations

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 22:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('configurations',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=512), nullable=False),
    sa.Column('product_type', sa.String(length=32), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('configurations', schema=None) as batch_op:
        batch_op.create_index('ix_configurations_project_created', ['project_id', 'created_at'], unique=False)
        batch_op.create_index('ux_configurations_name', ['project_id', 'name', 'product_type'], unique=True)

    op.create_table('webhook_configs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('webhook_url', sa.String(length=2048), nullable=False),
    sa.Column('webhook_events', sa.JSON(), nullable=True),
    sa.Column('webhook_headers', sa.JSON(), nullable=True),
    sa.Column('webhook_output_format', sa.String(length=16), nullable=True),
    sa.Column('signing_secret', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('webhook_configs', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_configs_project_created', ['project_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('webhook_configs', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_configs_project_created')

    op.drop_table('webhook_configs')
    with op.batch_alter_table('configurations', schema=None) as batch_op:
        batch_op.drop_index('ux_configurations_name')
        batch_op.drop_index('ix_configurations_project_created')

    op.drop_table('configurations')

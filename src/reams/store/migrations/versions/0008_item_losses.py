"""items.losses: claims lost with their process, counted apart from attempts; terminal items
keep no lease

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TERMINAL = ('completed', 'failed', 'skipped', 'cancelled')


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('losses', sa.Integer(), server_default='0', nullable=False)
        )
    # Items that ended before 0008 kept their last lease: only items in flight hold one.
    items = sa.table(
        'items',
        sa.column('status', sa.String),
        sa.column('lease_owner', sa.String),
        sa.column('lease_expires_at', sa.DateTime(timezone=True)),
    )
    op.execute(
        items.update()
        .where(items.c.status.in_(TERMINAL))
        .where(sa.or_(items.c.lease_owner.is_not(None), items.c.lease_expires_at.is_not(None)))
        .values(lease_owner=None, lease_expires_at=None)
    )


def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('losses')

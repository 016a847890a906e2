"""Indexes for the dashboard: latest per profile (the trend) and sorting by title.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_assessment_org_profile_updated",
        "assessment",
        ["organisation_id", "profile", "updated_at"],
    )
    op.create_index("ix_assessment_org_title", "assessment", ["organisation_id", "title"])


def downgrade():
    op.drop_index("ix_assessment_org_title", table_name="assessment")
    op.drop_index("ix_assessment_org_profile_updated", table_name="assessment")

"""The scheduled jobs' run log, for coordinators and admins."""

from __future__ import annotations

import sqlalchemy as sa

from ..models import JobRun, Role
from ..security import role_required
from .common import LINK_HEADER, ApiBlueprint, errors, paginate
from .schemas.jobs import JobRunArgsSchema, JobRunPageSchema

blp = ApiBlueprint("api_jobs", __name__, title="Scheduled jobs", description="The job-run log")


@blp.get("/job-runs")
@role_required(Role.COORDINATOR, Role.ADMIN)
@blp.arguments(JobRunArgsSchema, location="query")
@blp.response(200, JobRunPageSchema, headers=LINK_HEADER)
@errors(blp, 403)
def job_runs(args):
    """Runs of the scheduled jobs, newest first (skips by a second scheduler included)"""
    query = sa.select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())
    if "job_name" in args:
        query = query.where(JobRun.job_name == args["job_name"])
    if "outcome" in args:
        query = query.where(JobRun.outcome == args["outcome"])
    return paginate(query, args)

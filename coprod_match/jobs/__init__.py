"""Scheduled jobs: their bodies, the registry, leases that keep each run single, the scheduler.

The scheduler runs in its own process (`flask scheduler run`), never in web
workers: APScheduler's job stores cannot be shared between processes, so a
lease in the database decides which scheduler performs each scheduled run.
"""

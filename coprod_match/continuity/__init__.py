"""Continuity monitoring: alert rules (pure), the scan that reconciles alerts, and digests."""

"""The invitation rules an operator may tune: how long a link works, the reminder, the daily limit."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class InvitationRules:
    expiry_days: int = 14
    reminder_days_before: int = 4
    daily_limit: int = 20
    block_days: int = 90

    @classmethod
    def from_config(cls, config) -> InvitationRules:
        return cls(
            expiry_days=int(config["INVITATION_EXPIRY_DAYS"]),
            reminder_days_before=int(config["INVITATION_REMINDER_DAYS_BEFORE"]),
            daily_limit=int(config["INVITATION_DAILY_LIMIT"]),
            block_days=int(config["INVITATION_BLOCK_DAYS"]),
        )


def rules() -> InvitationRules:
    return InvitationRules.from_config(current_app.config)

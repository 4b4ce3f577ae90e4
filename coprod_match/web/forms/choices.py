"""Choices for selects that several areas share, and reading back what was picked."""

from __future__ import annotations

import sqlalchemy as sa
from wtforms import SelectChoice

from ...extensions import db
from ...models import Neighbourhood
from ...schedule import DAYS, PARTS_OF_DAY, slot_key


def neighbourhood_choices(placeholder: str | None) -> list[SelectChoice]:
    """Neighbourhoods grouped by district, for a select."""
    rows = db.session.execute(
        sa.select(Neighbourhood.id, Neighbourhood.name, Neighbourhood.district).order_by(
            Neighbourhood.district, Neighbourhood.name
        )
    ).all()
    choices = [SelectChoice("", placeholder)] if placeholder else []
    return choices + [SelectChoice(row.id, row.name, optgroup=row.district) for row in rows]


def chosen_neighbourhood(field, message: str) -> Neighbourhood | None:
    """The neighbourhood picked in a select, or None with `message` next to the field."""
    place = db.session.get(Neighbourhood, field.data) if field.data is not None else None
    if place is None:
        field.errors.append(message)
    return place


def slot_choices() -> list[SelectChoice]:
    """Every weekly slot (day and part of day), for availability and schedules."""
    return [SelectChoice(slot_key(day, part), slot_key(day, part)) for day in DAYS for part in PARTS_OF_DAY]

"""Reference data: neighbourhoods and the taxonomies, loaded from data files."""

from __future__ import annotations

import math

import sqlalchemy as sa
from sqlalchemy import orm

from ..reference_words import language_name, taxonomy_label
from .base import Base


class Neighbourhood(Base):
    __tablename__ = "neighbourhoods"
    __table_args__ = (
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(120), unique=True)
    district: orm.Mapped[str] = orm.mapped_column(sa.String(120), index=True)
    latitude: orm.Mapped[float]
    longitude: orm.Mapped[float]

    def distance_km(self, other: Neighbourhood) -> float:
        """Great-circle distance between the two neighbourhood centres."""
        return haversine_km(self.latitude, self.longitude, other.latitude, other.longitude)

    def __repr__(self) -> str:
        return f"<Neighbourhood {self.name!r}>"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km between two points on the earth's surface."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class Language(Base):
    """A language residents speak; `code` is ISO 639 (two letters where one exists)."""

    __tablename__ = "languages"

    code: orm.Mapped[str] = orm.mapped_column(sa.String(8), primary_key=True)
    english_name: orm.Mapped[str] = orm.mapped_column(sa.String(80))
    dutch_name: orm.Mapped[str] = orm.mapped_column(sa.String(80))
    endonym: orm.Mapped[str] = orm.mapped_column(sa.String(80))

    def label(self, locale: str) -> str:
        return language_name(self.code, self.english_name, self.dutch_name, self.endonym, locale)


class InterestCategory(Base):
    __tablename__ = "interest_categories"

    code: orm.Mapped[str] = orm.mapped_column(sa.String(40), primary_key=True)
    label_en: orm.Mapped[str] = orm.mapped_column(sa.String(160))
    label_nl: orm.Mapped[str] = orm.mapped_column(sa.String(160))

    def label(self, locale: str) -> str:
        return taxonomy_label(self.label_en, self.label_nl, locale)


class TargetGroup(Base):
    __tablename__ = "target_groups"

    code: orm.Mapped[str] = orm.mapped_column(sa.String(40), primary_key=True)
    label_en: orm.Mapped[str] = orm.mapped_column(sa.String(160))
    label_nl: orm.Mapped[str] = orm.mapped_column(sa.String(160))

    def label(self, locale: str) -> str:
        return taxonomy_label(self.label_en, self.label_nl, locale)

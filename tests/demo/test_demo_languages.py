"""The demo speaks The Hague (issue 15): initiatives written in Dutch with versions in the
residents' languages, residents writing Dutch, professionals' own languages, and showcase
residents who read the site in Turkish and Arabic.

Content and generation are checked without a database; what the writer puts in the
database, and what the initiative search finds there, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections import Counter

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from coprod_match.demo import ARTICLE_INITIATIVES, generate_demo, seed_demo
from coprod_match.demo.accounts import (
    ARABIC_RESIDENT_EMAIL,
    HAND_OVER_PAIR,
    TURKISH_RESIDENT_EMAIL,
)
from coprod_match.models import (
    Initiative,
    InitiativeTaskVersion,
    InitiativeVersion,
    Invitation,
    Placement,
    Role,
    User,
)
from coprod_match.queries.search import parse_search, search_initiatives
from coprod_match.reference_data import DATA_DIR

TODAY = dt.date(2026, 3, 2)
VERSIONS = {"en", "tr", "ar"}
AYSE = "Ayşe Yılmaz"  # noqa: RUF001 - a Turkish name, dotless i and all


@pytest.fixture(scope="module")
def demo():
    with open(os.path.join(DATA_DIR, "neighbourhoods.csv"), encoding="utf-8") as handle:
        hague = {row["name"]: row["district"] for row in csv.DictReader(handle)}
    return generate_demo(seed=2026, citizens=300, initiatives=40, today=TODAY, neighbourhoods=hague)


def _article(start: str):
    return next(a for a in ARTICLE_INITIATIVES if a.title.startswith(start))


# --- content and generation, without a database ---------------------------------------------


def test_every_article_initiative_is_written_in_dutch_with_english_turkish_and_arabic_versions():
    assert len(ARTICLE_INITIATIVES) == 17
    for article in ARTICLE_INITIATIVES:
        assert article.written_in == "nl"
        assert set(article.versions) == VERSIONS, article.title
        name = article.title.split(":")[0]
        for locale, version in article.versions.items():
            assert len(version.tasks) == len(article.tasks), (article.title, locale)
            assert all(version.tasks) and version.title and version.description
            # Each version keeps the name the neighbourhood knows the initiative by.
            assert name.split("!")[0] in version.title, (article.title, locale)
            assert version.title != article.title and version.description != article.description
    # The versions really are in their script: Arabic letters in Arabic, Turkish letters in Turkish.
    for article in ARTICLE_INITIATIVES:
        assert any("\u0600" <= letter <= "\u06ff" for letter in article.versions["ar"].description)
        assert any(letter in "ışğçöüİŞĞÇÖÜ" for letter in article.versions["tr"].description)


def test_the_dutch_texts_use_the_words_residents_search_for():
    sports = _article("Sportief Samen")
    assert "vrouwen" in sports.title.lower()
    day_care = _article("Samen Dag")
    assert "dementie" in day_care.title.lower() and "dementie" in day_care.description.lower()
    # The English text is now a version, no longer the original.
    assert "women" in sports.versions["en"].title and "women" not in sports.title


def test_generated_initiatives_carry_their_versions_and_extra_ones_are_dutch(demo):
    for seed, article in zip(demo.initiatives, ARTICLE_INITIATIVES, strict=False):
        assert seed.title == article.title and seed.written_in == "nl"
        assert {v.locale for v in seed.versions} == VERSIONS
        assert all(len(v.tasks) == len(seed.tasks) for v in seed.versions)
    extra = demo.initiatives[len(ARTICLE_INITIATIVES):]
    assert extra and all(seed.written_in == "nl" and not seed.versions for seed in extra)
    assert all("Bewoners doen dit samen" in seed.description for seed in extra)


def test_what_people_write_in_the_demo_is_dutch(demo):
    written = [p.citizen_message for p in demo.placements if p.citizen_message] + [
        p.end_note for p in demo.placements if p.end_note
    ] + [e.reason for p in demo.placements for e in p.events if e.reason] + [
        c.note for p in demo.placements for c in p.check_ins if c.note
    ]
    assert written
    english = ("I ", "My ", "The ", "Moved to", "Taking", "Looking", "Not now", "Was there")
    assert not [text for text in written if text.startswith(english)]
    assert "Ik wil graag helpen. Mijn Nederlands is niet perfect, maar ik leer." in written


def test_invitations_are_written_in_the_residents_language(demo):
    locale = {c.email: c.preferred_locale for c in demo.citizens}
    messages = {locale[p.citizen_email]: p.invitation.message for p in demo.placements if p.invitation}
    assert messages["nl"].startswith("Hoi ")
    assert messages["en"].startswith("Hello ")
    assert messages["tr"].startswith("Merhaba ")
    assert messages["ar"].startswith("مرحبًا ")
    # The site's other languages have no demo wording: their residents get the Dutch message.
    others = [p.invitation.message for p in demo.placements
              if p.invitation and locale[p.citizen_email] in ("pl", "bg", "uk")]
    assert others and all(message.startswith("Hoi ") for message in others)
    ayse = next(p for p in demo.placements
                if p.citizen_email == TURKISH_RESIDENT_EMAIL and p.invitation is not None)
    assert "Samen Dag" in ayse.invitation.message and "Türkçe" in ayse.invitation.message


def test_showcase_residents_read_the_site_in_turkish_and_arabic(demo):
    people = {c.email: c for c in demo.citizens}
    ayse, khaled = people[TURKISH_RESIDENT_EMAIL], people[ARABIC_RESIDENT_EMAIL]
    assert (ayse.display_name, ayse.preferred_locale) == (AYSE, "tr")
    assert (khaled.display_name, khaled.preferred_locale) == ("Khaled Haddad", "ar")
    # Some other residents chose their own language too, mostly those who read Dutch with difficulty.
    locales = Counter(c.preferred_locale for c in demo.citizens)
    assert locales["tr"] > 1 and locales["ar"] > 1 and locales["nl"] > 150


def test_every_professional_records_the_languages_they_speak(demo):
    professionals = [s for s in demo.staff if s.role == Role.PROFESSIONAL]
    assert len(professionals) > 13  # the article's thirteen and the generated ones for 40 initiatives
    assert all("nl" in s.languages for s in professionals)
    # The day care's professionals come from the residents' own backgrounds, as in the article.
    languages = {s.email: set(s.languages) for s in professionals}
    assert {"tr", "ar"} <= languages[HAND_OVER_PAIR[1]]
    assert {"ary", "rif"} <= languages[HAND_OVER_PAIR[0]]


# --- in the database (SQLite and PostgreSQL) -------------------------------------------------


def test_seeding_writes_every_version_and_task_version_once(db_session):
    added = seed_demo(db_session, seed=4, citizens=30, today=TODAY)
    db_session.commit()
    articles = len(ARTICLE_INITIATIVES)
    assert added["initiative_versions"] == articles * len(VERSIONS)
    assert added["initiative_task_versions"] == sum(len(a.tasks) for a in ARTICLE_INITIATIVES) * len(VERSIONS)
    assert added["user_languages"] > 13

    for initiative in db_session.scalars(sa.select(Initiative)):
        assert initiative.written_in == "nl"
        assert {v.locale for v in initiative.versions} == VERSIONS, initiative.title
        for task in initiative.tasks:
            assert {v.locale for v in task.versions} == VERSIONS, task.title

    counts = [db_session.scalar(sa.select(sa.func.count()).select_from(model))
              for model in (InitiativeVersion, InitiativeTaskVersion)]
    again = seed_demo(db_session, seed=4, citizens=30, today=TODAY)
    db_session.commit()
    assert again["initiative_versions"] == again["initiative_task_versions"] == again["user_languages"] == 0
    assert sum(again.values()) == 0
    assert counts == [db_session.scalar(sa.select(sa.func.count()).select_from(model))
                      for model in (InitiativeVersion, InitiativeTaskVersion)]


def test_a_version_task_pairs_with_the_same_task_of_the_original(db_session):
    seed_demo(db_session, seed=4, citizens=30, today=TODAY)
    db_session.commit()
    sports = db_session.scalar(sa.select(Initiative).where(Initiative.title.startswith("Sportief Samen")))
    article = _article("Sportief Samen")
    assert [task.title for task in sports.tasks] == [title for title, _ in article.tasks]
    for locale in VERSIONS:
        assert [next(v.title for v in task.versions if v.locale == locale) for task in sports.tasks] == list(
            article.versions[locale].tasks
        ), locale
    turkish = next(v for v in sports.versions if v.locale == "tr")
    assert turkish.title == article.versions["tr"].title and turkish.description == article.versions["tr"].description


def _found(session, words: str) -> list[str]:
    query, _ = search_initiatives(session, parse_search(MultiDict({"q": words})))
    return [initiative.title for initiative in session.scalars(query).unique()]


def test_the_initiative_search_finds_the_demo_in_dutch(db_session):
    seed_demo(db_session, seed=4, citizens=30, today=TODAY)
    db_session.commit()
    women = _found(db_session, "vrouwen")
    assert any(title.startswith("Sportief Samen") for title in women), women
    dementia = _found(db_session, "dementie")
    assert any(title.startswith("Samen Dag") for title in dementia), dementia
    assert not any(title.startswith("Sportief Samen") for title in dementia)


def test_seeded_people_keep_their_languages(runner, db_session):
    result = runner.invoke(args=["demo", "seed", "--citizens", "30"])
    assert result.exit_code == 0, result.output
    assert TURKISH_RESIDENT_EMAIL in result.output and "Turkish" in result.output

    professionals = db_session.scalars(sa.select(User).where(User.role == Role.PROFESSIONAL)).all()
    assert professionals and all(p.spoken_languages for p in professionals)
    yusuf = next(p for p in professionals if p.email == HAND_OVER_PAIR[1])
    assert {"tr", "ar"} <= {language.code for language in yusuf.spoken_languages}

    ayse = db_session.scalar(sa.select(User).where(User.email == TURKISH_RESIDENT_EMAIL))
    assert ayse.display_name == AYSE and ayse.preferred_locale == "tr"
    khaled = db_session.scalar(sa.select(User).where(User.email == ARABIC_RESIDENT_EMAIL))
    assert khaled.preferred_locale == "ar"
    invitation = db_session.scalar(
        sa.select(Invitation).join(Placement).where(Placement.citizen_id == ayse.id)
    )
    assert invitation is not None and invitation.message.startswith("Merhaba Ayşe")

    logins = runner.invoke(args=["demo", "logins"])
    assert AYSE in logins.output and ARABIC_RESIDENT_EMAIL in logins.output


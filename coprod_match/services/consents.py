"""Consents as records, and the profile's current answer kept in step with them.

Every answer is a row in `consents` (models/consent.py): which text the
person saw (its SHA-256 and language), when, and how. The profile's
`consent_to_contact` / `consent_given_at` are the current answer that
matching and search read; this module is the only place that writes them, in
the same flush as the record.

The rules:
- the resident's own latest answer ("self") decides whether they may be
  invited; an explicit no is never overridden: not by a professional who
  ticks "asked in person" (refused: InvitationsRefusedError), not by an import;
- "asked in person" for someone who never answered is a yes for that one
  invitation only (`in_person`, recorded by the professional); the profile
  stays as it was;
- an import's "yes" is an organisation's intention (`imported`), never
  consent: the profile says no until the resident answers themselves;
- the privacy statement is accepted per version (the hash of its text in the
  language shown); a new version asks again (web/privacy.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError
from ..matching.changes import record_change
from ..models import CitizenProfile, Consent, ConsentKind, ConsentSource, Invitation, User, utcnow

# The words a resident answers to, on the profile page and the welcome page (label and hint).
INVITATIONS_WORDING = _l("Professionals may invite me personally for an initiative")
INVITATIONS_HINT = _l("A professional, for example a social worker, can then send you a personal invitation. "
                      "You can turn this off at any time.")
# The words a professional confirms when inviting someone met in person (web/forms/invitations.py).
IN_PERSON_WORDING = _l("This person asked me to send this invitation.")
# What an import's consent_to_contact column is taken to mean (the import page says so).
IMPORTED_WORDING = _l("The organisation that made the list says this person agreed to be invited.")


class InvitationsRefusedError(DomainError):
    """The resident said no to personal invitations; nobody may decide otherwise for them."""

    status = 409
    problem_type = "invitations-refused"
    message = _l("This person said no to personal invitations. You cannot invite them, not even when they "
                 "asked you in person. Only they can change this, in their own profile.")


@dataclass(frozen=True)
class TextShown:
    """Which text a person saw: its version (SHA-256 of the text) and the language it was in."""

    version: str
    locale: str


def text_version(text: str) -> str:
    """The version of a text: the SHA-256 of its words, whatever the spaces and line breaks between them."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def wording_shown(locale: str, *wording) -> TextShown:
    """The version of these (lazy, translated) words as shown in `locale`."""
    with force_locale(locale):
        text = "\n".join(str(words) for words in wording)
    return TextShown(text_version(text), locale)


def latest(session: orm.Session, user: User, kind: ConsentKind, *,
           sources: tuple[ConsentSource, ...] = (ConsentSource.SELF,)) -> Consent | None:
    """The person's newest record of this kind from these sources."""
    return session.scalar(
        sa.select(Consent)
        .where(Consent.user_id == user.id, Consent.kind == kind, Consent.source.in_(sources))
        .order_by(Consent.given_at.desc(), Consent.id.desc())
        .limit(1)
    )


def invitations_answer(session: orm.Session, user: User) -> bool | None:
    """The resident's own answer to personal invitations: yes, an explicit no, or None (never answered)."""
    record = latest(session, user, ConsentKind.INVITATIONS)
    if record is None:
        return None
    return record.granted and record.withdrawn_at is None


def answer_invitations(session: orm.Session, citizen: User, granted: bool, *, shown: TextShown,
                       explicit: bool = False) -> Consent | None:
    """The resident's own yes or no to personal invitations: a record, and the profile in step.

    Nothing is written when the answer does not change. An empty box on a
    form filled in for the first time is no answer (`explicit=False`); a
    question answered "no" on purpose, as on the welcome page, is.
    """
    current = invitations_answer(session, citizen)
    if granted == current or (not granted and current is None and not explicit):
        return None
    now = utcnow()
    if not granted:
        session.execute(
            sa.update(Consent)
            .where(Consent.user_id == citizen.id, Consent.kind == ConsentKind.INVITATIONS,
                   Consent.source == ConsentSource.SELF, Consent.granted.is_(True),
                   Consent.withdrawn_at.is_(None))
            .values(withdrawn_at=now),
            execution_options={"synchronize_session": "fetch"},
        )
    record = _add(session, citizen, ConsentKind.INVITATIONS, granted, shown, ConsentSource.SELF, now=now)
    profile = _profile(session, citizen)
    profile.consent_to_contact = granted
    profile.consent_given_at = now if granted else None
    session.flush()
    record_change(session, citizens=[citizen])
    return record


def check_invitable(session: orm.Session, citizen: User) -> None:
    """Refuse anyone who said no to personal invitations (InvitationsRefusedError)."""
    if invitations_answer(session, citizen) is False:
        raise InvitationsRefusedError()


def record_in_person(session: orm.Session, citizen: User, invitation: Invitation, *,
                     professional: User, shown: TextShown) -> Consent:
    """A yes given to a professional in person, for this one invitation; the profile stays as it was."""
    check_invitable(session, citizen)
    return _add(session, citizen, ConsentKind.INVITATIONS, True, shown, ConsentSource.IN_PERSON,
                recorded_by=professional, invitation=invitation)


def record_imported(session: orm.Session, citizens: list[User], *, importer: User | None,
                    shown: TextShown) -> None:
    """An imported list said these residents agreed to invitations: kept as the organisation's intention only.

    The profile is not changed: only the resident's own answer counts, and an
    explicit no is never turned into a yes by an import.
    """
    now = utcnow()
    session.add_all([
        Consent(user_id=citizen.id, kind=ConsentKind.INVITATIONS, granted=True, version=shown.version,
                locale=shown.locale, given_at=now, source=ConsentSource.IMPORTED,
                recorded_by_id=importer.id if importer is not None else None,
                organisation=importer.organisation if importer is not None else None)
        for citizen in citizens
    ])
    session.flush()


def accept_privacy_statement(session: orm.Session, user: User, shown: TextShown) -> Consent:
    """The person read and accepted this version of the privacy statement."""
    return _add(session, user, ConsentKind.PRIVACY_STATEMENT, True, shown, ConsentSource.SELF)


def accepted_statement(session: orm.Session, user: User) -> TextShown | None:
    """The version and language of the privacy statement the person accepted last, if any."""
    record = latest(session, user, ConsentKind.PRIVACY_STATEMENT)
    if record is None or not record.granted:
        return None
    return TextShown(record.version, record.locale)


def consent_records(session: orm.Session, user: User) -> list[Consent]:
    """Every consent record of the person, newest first (for "My data")."""
    return list(session.scalars(
        sa.select(Consent).where(Consent.user_id == user.id)
        .order_by(Consent.given_at.desc(), Consent.id.desc())
    ))


def _profile(session: orm.Session, citizen: User) -> CitizenProfile:
    if citizen.citizen_profile is None:
        citizen.citizen_profile = CitizenProfile()
        session.add(citizen.citizen_profile)
    return citizen.citizen_profile


def _add(session: orm.Session, user: User, kind: ConsentKind, granted: bool, shown: TextShown,
         source: ConsentSource, *, now=None, recorded_by: User | None = None, organisation: str | None = None,
         invitation: Invitation | None = None) -> Consent:
    record = Consent(
        user_id=user.id, kind=kind, granted=granted, version=shown.version, locale=shown.locale,
        given_at=now or utcnow(), source=source, recorded_by_id=recorded_by.id if recorded_by else None,
        organisation=organisation, invitation_id=invitation.id if invitation is not None else None,
    )
    session.add(record)
    session.flush()
    return record

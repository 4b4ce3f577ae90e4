"""Telling people what happened: a message in their inbox, and the same sentence by mail.

`notify` is the one door. Each message is stored with its kind and
parameters, so the inbox words it in the reader's language when it is
shown; the mail is worded now, in the recipient's `preferred_locale`, and
goes through the outbox with the change that caused it (mail.py).

Mail, and when it is not sent:
- never to an account that cannot log in (disabled, erased, or pending: a
  pending account only answers its invitation by the invitation's own mail);
- not for kinds whose service sends a mail of its own (MAILED_BY_THEIR_SERVICE);
- one at a time: while the recipient has not read an earlier message of the
  same kind about the same page, a new one only joins the inbox. Ten
  sign-ups in an evening are one mail; once the person opens the message
  (or marks all read, or opens the page itself where a service calls
  `mark_read`, as a conversation does), the next one mails again. The inbox
  keeps every one.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm

from ..links import PageLink
from ..mail import mail_locale, send_in_language
from ..models import Notification, Role, User, utcnow
from ..models.user import erased_person_name
from ..queries.initiative_versions import title_by_id

# The invitation and its reminder carry their own mail (with the answer link): no second one.
# So do the monthly check-ins: the volunteer's (with its own answer link, services/check_ins) and the
# contact's (one mail lists all their initiatives, services/contact_check_ins.py).
MAILED_BY_THEIR_SERVICE = frozenset({"invitation.received", "invitation.reminder", "check_in.asked",
                                     "contact.check_in"})


def notify(session: orm.Session, user_ids: list[int], kind: str, link: PageLink | None,
           **payload) -> None:
    """In-app messages, and a mail to each recipient who can receive one (see the module's rules).

    `link` names the page to open by endpoint; its path is made now, by the URL map.
    """
    path = link.path() if link is not None else None
    recipients = sorted(set(user_ids))
    mailed = bool(recipients) and kind not in MAILED_BY_THEIR_SERVICE
    # Asked before the new rows are added: only messages from before this one hold the mail back.
    waiting = _unread_same(session, recipients, kind, path) if mailed else set()
    messages = []
    for user_id in recipients:
        message = Notification(user_id=user_id, kind=kind, payload=payload, link=path)
        session.add(message)
        messages.append(message)
    if not mailed:
        return
    people = {user.id: user for user in session.scalars(sa.select(User).where(User.id.in_(recipients)))}
    for message in messages:
        person = people.get(message.user_id)
        if person is not None and can_receive_mail(person) and person.id not in waiting:
            _mail(session, person, message, link)


def mark_read(session: orm.Session, user_id: int, link: PageLink) -> int:
    """The person saw the page the messages point to: those messages are read, the next news mails again.

    For pages read without going through the inbox (a conversation); returns how many were unread.
    """
    result = session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user_id, Notification.link == link.path(), Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def can_receive_mail(person: User) -> bool:
    """Only someone who can log in gets mail about the site: not disabled, erased or pending."""
    return person.is_enabled and not person.is_erased and not person.is_pending


def _unread_same(session: orm.Session, user_ids: list[int], kind: str, path: str | None) -> set[int]:
    """Who still has an unread message of this kind about this page."""
    same_link = Notification.link.is_(None) if path is None else Notification.link == path
    return set(session.scalars(
        sa.select(Notification.user_id).distinct().where(
            Notification.user_id.in_(user_ids), Notification.kind == kind, same_link,
            Notification.read_at.is_(None),
        )
    ))


def _mail(session: orm.Session, person: User, message: Notification, link: PageLink | None) -> None:
    data = message.payload or {}
    title = data.get("initiative_title") or ""
    if title:  # the version in the recipient's language, when someone wrote one
        title = title_by_id(session, data.get("initiative_id"), mail_locale(person.preferred_locale), title)

    def subject() -> str:
        return _("News about %(initiative)s", initiative=title) if title else _("News from coprod-match")

    # The sentence is worded inside send_in_language's force_locale, like the subject.
    send_in_language(session, person.email, person.preferred_locale, "notification", subject,
                     kind=f"notification:{message.kind}", recipient=person,
                     sentence=lambda: notification_text(message, initiative_title=title),
                     link=link.url() if link else None)


def _person(data: dict) -> str:
    # The name was removed when that person's account was erased (services/erasure.py).
    if data.get("former_citizen"):
        return erased_person_name(Role.CITIZEN)
    if data.get("former_sender"):
        return erased_person_name(Role.PROFESSIONAL)
    return data.get("citizen_name") or data.get("sender_name") or ""


def _alert_kind(data: dict) -> str:
    from ..continuity.wording import ALERT_KIND_LABELS  # late: continuity imports services

    kind = data.get("alert_kind", "")
    return str(ALERT_KIND_LABELS.get(kind, kind))


def notification_text(notification: Notification, *, initiative_title: str | None = None) -> str:
    """The message in the current language (the reader's, or the mail's), from its kind and parameters.

    `initiative_title` replaces the stored title (a mail gives the version in its own language).
    """
    data = notification.payload or {}
    title = data.get("initiative_title", "") if initiative_title is None else initiative_title
    person = _person(data)
    texts = {
        "invitation.received": lambda: _("%(sender)s invites you to join \"%(initiative)s\".",
                                         sender=person, initiative=title),
        "invitation.reminder": lambda: _("Reminder: you have not answered the invitation to \"%(initiative)s\" yet.",
                                         initiative=title),
        "invitation.accepted": lambda: _("%(name)s said yes to \"%(initiative)s\". Please confirm the start.",
                                         name=person, initiative=title),
        "invitation.declined": lambda: _("%(name)s said no to \"%(initiative)s\".", name=person, initiative=title),
        "invitation.expired": lambda: _("%(name)s did not answer the invitation to \"%(initiative)s\" in time.",
                                        name=person, initiative=title),
        "placement.applied": lambda: _("Someone wants to help at \"%(initiative)s\".", initiative=title),
        "placement.accepted": lambda: _("You can start at \"%(initiative)s\".", initiative=title),
        "placement.rejected": lambda: _("Your sign-up for \"%(initiative)s\" did not work out.", initiative=title),
        "conversation.message": lambda: _("%(name)s sent a message about \"%(initiative)s\".",
                                          name=person, initiative=title),
        "placement.volunteer_left": lambda: _("A volunteer of \"%(initiative)s\" left coprod-match and stopped.",
                                              initiative=title),
        "placement.paused": lambda: _("%(name)s paused their help at \"%(initiative)s\".",
                                      name=person, initiative=title),
        "placement.resumed": lambda: _("%(name)s helps at \"%(initiative)s\" again.", name=person, initiative=title),
        "placement.stopped": lambda: _("%(name)s stopped at \"%(initiative)s\".", name=person, initiative=title),
        "placement.thanked": lambda: _("%(name)s thanked you for your help at \"%(initiative)s\".",
                                       name=person, initiative=title),
        "contact.added": lambda: _("%(name)s made you a contact person of \"%(initiative)s\".",
                                   name=person, initiative=title),
        "contact.handed_over": lambda: _("%(name)s handed \"%(initiative)s\" over to you. You are now its contact "
                                         "person.", name=person, initiative=title),
        "contact.reassigned": lambda: _("You are now the contact person of \"%(initiative)s\".", initiative=title),
        "check_in.asked": lambda: _("How is it going at \"%(initiative)s\"? Please answer this month's questions.",
                                    initiative=title),
        "contact.check_in": lambda: _("How was your month at \"%(initiative)s\"? Please answer a short question.",
                                      initiative=title),
        "alert.assigned": lambda: (
            _("You were asked to handle an alert about \"%(initiative)s\": %(alert)s.",
              initiative=title, alert=_alert_kind(data)) if title
            else _("You were asked to handle an alert: %(alert)s.", alert=_alert_kind(data))),
    }
    text = texts.get(notification.kind)
    return text() if text else _("You have a new message.")

"""Telling people about an invitation: the citizen by e-mail and inbox, the inviters in their inbox.

Messages link to pages by endpoint name, so they follow the routes.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import orm

from ...links import PageLink, page_url
from ...mail import mail_locale, send_in_language
from ...models import Invitation
from ...queries.initiative_versions import text_for
from ...queries.initiatives import current_contact_ids
from ..notifications import notify


def tell_citizen(session: orm.Session, invitation: Invitation, token: str, *, reminder: bool) -> None:
    """The invitation, or its reminder, in the citizen's inbox and by e-mail (sent after the commit)."""
    placement = invitation.placement
    details = {"initiative_id": placement.initiative_id, "initiative_title": placement.initiative.title}
    if not reminder:
        details["sender_name"] = invitation.sender.display_name if invitation.sender else ""
    notify(session, [placement.citizen_id], "invitation.reminder" if reminder else "invitation.received",
           PageLink("invitations.mine", invitation_id=invitation.id), **details)
    _queue_mail(session, invitation, token, reminder=reminder)


def _queue_mail(session: orm.Session, invitation: Invitation, token: str, *, reminder: bool) -> None:
    """The mail with the answer link, in the citizen's language (for someone invited by address: the
    language the professional chose for them, stored on their pending account)."""
    citizen = invitation.placement.citizen
    title = text_for(session, invitation.placement.initiative, mail_locale(citizen.preferred_locale))

    def subject() -> str:
        if reminder:
            return _("Reminder: %(initiative)s would like you to join", initiative=title.title)
        return _("A personal invitation: %(initiative)s", initiative=title.title)

    send_in_language(
        session, citizen.email, citizen.preferred_locale, "invitation", subject,
        kind="invitation_reminder" if reminder else "invitation",
        citizen=citizen, initiative_title=title.title, title_lang=title.lang, sender=invitation.sender,
        message=invitation.message, expires_at=invitation.expires_at,
        link=page_url("invitations.by_link", token=token), reminder=reminder, pending=citizen.is_pending,
    )


def tell_inviters(session: orm.Session, invitation: Invitation, kind: str) -> None:
    """The sender and the initiative's current contacts hear the answer, or that none came."""
    placement = invitation.placement
    people = set(current_contact_ids(session, placement.initiative_id))
    if invitation.sender_id is not None:
        people.add(invitation.sender_id)
    notify(session, sorted(people), kind,
           PageLink("invitations.for_initiative", initiative_id=placement.initiative_id),
           initiative_id=placement.initiative_id, initiative_title=placement.initiative.title,
           citizen_name=placement.citizen.display_name)

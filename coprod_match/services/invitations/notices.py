"""Telling people about an invitation: the citizen's e-mail, and the inviters' inbox."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import orm

from ...mail import send_after_commit
from ...models import Invitation
from ..participation import current_contact_ids, notify


def queue_invitation_mail(session: orm.Session, invitation: Invitation, token: str, *, reminder: bool) -> None:
    from ...continuity.digest import external_url

    citizen = invitation.placement.citizen
    initiative = invitation.placement.initiative
    context = {
        "citizen": citizen,
        "initiative": initiative,
        "sender": invitation.sender,
        "message": invitation.message,
        "expires_at": invitation.expires_at,
        "link": external_url("invitations.by_link", token=token),
        "reminder": reminder,
        "pending": citizen.is_pending,
    }
    with force_locale(citizen.preferred_locale):
        subject = (_("Reminder: %(initiative)s would like you to join", initiative=initiative.title) if reminder
                   else _("A personal invitation: %(initiative)s", initiative=initiative.title))
        text = render_template("emails/invitation.txt", **context)
        html = render_template("emails/invitation.html", **context)
    send_after_commit(session, citizen.email, subject, text, html)


def tell_inviters(session: orm.Session, invitation: Invitation, kind: str) -> None:
    placement = invitation.placement
    people = set(current_contact_ids(session, placement.initiative_id))
    if invitation.sender_id is not None:
        people.add(invitation.sender_id)
    notify(session, sorted(people), kind, f"/invitations/initiatives/{placement.initiative_id}",
           initiative_id=placement.initiative_id, initiative_title=placement.initiative.title,
           citizen_name=placement.citizen.display_name)

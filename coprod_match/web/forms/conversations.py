"""The form of a placement's conversation: one plain-text message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ...vocabulary import Limits


class MessageForm(FlaskForm):
    # The service cleans and checks the text again (services/conversations.clean_text), for the API too.
    text = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(_l("Write a message first.")),
                    Length(max=Limits.CONVERSATION_MESSAGE,
                           message=_l("Use at most %(max)d characters.", max=Limits.CONVERSATION_MESSAGE))],
    )

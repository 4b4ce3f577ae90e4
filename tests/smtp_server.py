"""A real SMTP server on localhost for tests that send mail (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Collect:
    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 OK"


class SMTPServer:
    """Start with `start()`, read `messages`, stop with `stop()`."""

    def __init__(self, port: int | None = None, handler=None):
        """On a free port, or on `port` (a server coming back); `handler` may answer differently."""
        if port is None:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
        self.port = port
        self._handler = handler or Collect()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return getattr(self._handler, "messages", [])

    def start(self) -> SMTPServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def body_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()

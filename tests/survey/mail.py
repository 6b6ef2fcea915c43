"""A mail server for tests: Django's test outbox behind connections that are counted and can fail."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected

from django.core.mail.backends import locmem


class Server:
    """What the mail server does: how many connections it saw, and when it fails."""

    def __init__(self) -> None:
        self.connections = 0
        self.limit: int | None = None  # messages accepted before it refuses (OSError)
        self.per_connection: int | None = None  # messages before it drops a connection
        self.drop: type[Exception] = SMTPServerDisconnected  # what the client then sees
        self.accepted = 0
        self.on_connection = 0

    def accept(self, limit: int | None) -> None:
        self.limit, self.accepted = limit, 0


SERVER = Server()


class Backend(locmem.EmailBackend):
    """Opens and closes like Django's SMTP backend: one connection per message unless opened."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self) -> bool:
        if self.is_open:
            return False
        SERVER.connections += 1
        SERVER.on_connection = 0
        self.is_open = True
        return True

    def close(self) -> None:
        self.is_open = False

    def send_messages(self, messages: list) -> int:
        opened = self.open()
        try:
            for message in messages:
                if SERVER.limit is not None and SERVER.accepted >= SERVER.limit:
                    raise ConnectionRefusedError
                if (
                    SERVER.per_connection is not None
                    and SERVER.on_connection >= SERVER.per_connection
                ):
                    self.is_open = False
                    raise SERVER.drop("Connection unexpectedly closed")
                super().send_messages([message])
                SERVER.accepted += 1
                SERVER.on_connection += 1
        finally:
            if opened:
                self.close()
        return len(messages)

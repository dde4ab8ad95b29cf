"""Domain errors: each carries a message a clerk can read, in Chinese."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the UI shows as it is and the CLI prints as one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Bad field values; `fields` maps field name → message for display beside the field."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("；".join(self.fields.values()))


class NotFoundError(DomainError):
    pass


class ConflictError(DomainError):
    """Someone saved a newer version of the record in the meantime."""


class PermissionDeniedError(DomainError):
    pass

"""Why a write is held back: the reasons a preview shows and `apply` obeys.

Every reason is a sentence for the person at the keyboard (no codes to look
up) plus a `rule` name, so tests and the UI can tell reasons apart without
parsing text. Warnings let the write go ahead after the usual confirmation;
everything else stops it before a byte is sent.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """Something to tell the user about a planned write."""

    rule: str
    message: str

    #: Whether this reason stops the write (nothing is sent).
    blocks = True

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class GuardWarning(Reason):
    """Worth knowing before confirming, but the write may go ahead."""

    blocks = False


@dataclass(frozen=True)
class Refusal(Reason):
    """The write is wrong or pointless as planned; the user must change it."""


@dataclass(frozen=True)
class ReadOnly(Reason):
    """The profile or the run is read-only: no write at all."""


@dataclass(frozen=True)
class ConfirmationMismatch(Reason):
    """A mass write needs a typed confirmation that was not given exactly."""

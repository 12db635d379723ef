"""The one exception the package raises for a failing libkws call."""
from __future__ import annotations

#: kws_status names by value (include/kws.h).
STATUS_NAMES = {-1: "KWS_ERROR_INVALID_ARGUMENT", -2: "KWS_ERROR_MODEL", -3: "KWS_ERROR_AUDIO", -4: "KWS_ERROR_IO",
                -5: "KWS_ERROR_STATE", -6: "KWS_ERROR_OUT_OF_MEMORY", -7: "KWS_ERROR_INTERNAL", -8: "KWS_ERROR_BUSY"}


class KWSError(Exception):
    """A libkws call failed: `status` is its kws_status, `message` what kws_last_error() said."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, str(self.status))

"""Request parameters with Telegram's typing rules.

PTB form-encodes everything: strings as-is, other values as JSON text. JSON bodies carry native
values. ``Params`` accepts both so method handlers see one interface.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from emulator.errors import bad_request

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


@dataclass(frozen=True)
class UploadedFile:
    """One multipart file part: its bytes and what the client declared about it."""

    data: bytes
    filename: str | None
    content_type: str | None


class Params:
    """Scalar and JSON parameters plus uploaded files of one request."""

    def __init__(
        self, values: dict[str, Any], files: dict[str, UploadedFile] | None = None
    ) -> None:
        self.values = values
        self.files = files or {}

    def has(self, name: str) -> bool:
        """Whether the parameter was sent (as a value or a file part)."""
        return name in self.values or name in self.files

    def get_str(self, name: str, default: str | None = None) -> str | None:
        """A string parameter; non-strings from JSON bodies are converted back to text."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value, ensure_ascii=False)

    def require_str(self, name: str, missing: str) -> str:
        """A string parameter that must be present; ``missing`` is the 400 reason otherwise."""
        value = self.get_str(name)
        if value is None:
            raise bad_request(missing)
        return value

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter (JSON number or decimal string)."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Integer')
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError as exc:
            raise bad_request(f'field "{name}" must be of type Integer') from exc

    def get_float(self, name: str, default: float | None = None) -> float | None:
        """A number parameter (PTB sends timeouts as floats)."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Number')
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f'field "{name}" must be of type Number') from exc

    def get_bool(self, name: str, default: bool = False) -> bool:
        """A boolean parameter (``true``/``false`` as PTB sends them)."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise bad_request(f'field "{name}" must be of type Boolean')

    def get_json(self, name: str) -> Any:
        """A JSON-serialized parameter, decoded (``None`` when absent)."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse {name} JSON object") from exc

    def loggable(self) -> dict[str, Any]:
        """The non-file parameters, for the request log."""
        return dict(self.values)

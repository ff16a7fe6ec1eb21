"""Who holds a claim on a message: an instance, a machine, a process.

A claim is written as ``<instance>:<machine>:<pid>:<start>`` (each part short, so it fits
the 40-character column): a hash of the configured instance name (stable across restarts
of one service), a hash of the host name and the kernel's boot id, the process id, and a
random token drawn when the process started. A process that starts again under the same
instance name recognises its predecessor's claims and gives them back at once, instead of
waiting for their lease to run out; a live process of the same instance on the same
machine (a cron job's ``outbox send`` next to the bot) is left alone.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def _short(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _machine() -> str:
    try:
        boot = BOOT_ID.read_text().strip()
    except OSError:
        boot = ""
    return _short(f"{socket.gethostname()}/{boot}")


def default_instance() -> str:
    return socket.gethostname() or "hromada-bot"


@dataclass(frozen=True)
class Claimant:
    instance: str
    machine: str
    pid: int
    start: str

    @classmethod
    def this_process(cls, instance_name: str) -> Claimant:
        return cls(_short(instance_name), _machine(), os.getpid(), secrets.token_hex(4))

    @classmethod
    def parse(cls, text: str) -> Claimant | None:
        parts = text.split(":")
        if len(parts) != 4 or not parts[2].isdigit():
            return None
        return cls(parts[0], parts[1], int(parts[2]), parts[3])

    def __str__(self) -> str:
        return f"{self.instance}:{self.machine}:{self.pid}:{self.start}"

    @property
    def prefix(self) -> str:
        """What every claim of this instance starts with."""
        return f"{self.instance}:"

    def is_predecessor(self, other: Claimant) -> bool:
        """Whether ``other`` is an earlier, no longer running process of this instance."""
        if other.instance != self.instance or other == self:
            return False
        if other.machine != self.machine:
            return True  # the machine (or container) was restarted or replaced
        return other.pid == self.pid or not _alive(other.pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True

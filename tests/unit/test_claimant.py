"""Who holds a claim: a restarted process recognises its predecessor, not a live sibling."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from bot.outbox.identity import Claimant


def ended_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_claim_fits_its_column_and_reads_back() -> None:
    me = Claimant.this_process("a very long instance name, longer than the column itself" * 3)
    assert len(str(me)) <= 40
    assert Claimant.parse(str(me)) == me
    assert Claimant.parse("0123456789abcdef0123456789abcdef") is None  # an old uuid claim


def test_predecessors_are_ended_processes_of_the_same_instance() -> None:
    me = Claimant.this_process("library-bot")
    assert not me.is_predecessor(me)
    assert me.is_predecessor(replace(me, pid=ended_pid(), start="00000000"))
    assert me.is_predecessor(replace(me, start="00000000"))  # a container's pid 1 again
    assert me.is_predecessor(replace(me, machine="ffffffff", pid=1))  # the machine restarted
    assert not me.is_predecessor(replace(me, pid=1, start="00000000"))  # alive on this machine
    other = Claimant.this_process("branch-library-bot")
    assert not me.is_predecessor(replace(other, pid=ended_pid()))

"""Reads served together share one write of their access-log entries, and each read is answered
only once its own entry is stored: a write that fails fails every read it carried, and only
those."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

from api.http.access_writer import AccessWriter
from api.persistence.access_log import AccessEntry

AT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def entry(n: int) -> AccessEntry:
    return AccessEntry(AT, f"p-{n:032x}", "administrator", "GET /cases/{case_id}", "case", str(n))


class SlowLog:
    """A log whose writes take a while (as a commit does), recording each batch it was given."""

    def __init__(self, fail_when: set[int] | None = None) -> None:
        self.batches: list[list[AccessEntry]] = []
        self.fail_when = fail_when or set()
        self.lock = threading.Lock()

    def write(self, entries) -> None:
        threading.Event().wait(0.02)
        with self.lock:
            self.batches.append(list(entries))
            if len(self.batches) in self.fail_when:
                raise OSError("the disk is full")


async def read(writer: AccessWriter, n: int, stored: list[int], log: SlowLog) -> str:
    await writer.record(entry(n))
    with log.lock:  # the answer goes out only once the entry is in a written batch
        assert any(e.object_id == str(n) for batch in log.batches for e in batch)
    stored.append(n)
    return "served"


class TestGroupCommit:
    def test_concurrent_reads_share_writes_and_every_entry_is_written_once(self):
        log = SlowLog()

        async def main():
            writer, stored = AccessWriter(log.write), []
            answers = await asyncio.gather(*(read(writer, n, stored, log) for n in range(40)))
            return answers, stored

        answers, stored = asyncio.run(main())
        written = [e.object_id for batch in log.batches for e in batch]
        assert answers == ["served"] * 40 and sorted(stored) == list(range(40))
        assert sorted(written, key=int) == [str(n) for n in range(40)] and len(written) == 40
        assert len(log.batches) < 10  # 40 reads at once: a few writes, not 40

    def test_one_read_at_a_time_is_one_write_each(self):
        log = SlowLog()

        async def main():
            writer, stored = AccessWriter(log.write), []
            for n in range(3):
                await read(writer, n, stored, log)

        asyncio.run(main())
        assert [[e.object_id for e in batch] for batch in log.batches] == [["0"], ["1"], ["2"]]

    def test_a_failed_write_fails_the_reads_it_carried_and_no_others(self):
        log = SlowLog(fail_when={1})

        async def main():
            writer, stored = AccessWriter(log.write), []
            first = await asyncio.gather(*(read(writer, n, stored, log) for n in range(5)), return_exceptions=True)
            later = await read(writer, 99, stored, log)
            return first, later, stored

        first, later, stored = asyncio.run(main())
        failed_batch = {e.object_id for e in log.batches[0]}
        for n, answer in enumerate(first):
            if str(n) in failed_batch:
                assert isinstance(answer, OSError) and n not in stored
            else:
                assert answer == "served" and n in stored
        assert failed_batch and later == "served" and 99 in stored

    def test_an_entry_waits_for_its_own_write_not_one_already_under_way(self):
        log, writing, release = SlowLog(), threading.Event(), threading.Event()

        def held(entries):
            writing.set()
            release.wait(5)
            log.write(entries)

        async def main():
            writer = AccessWriter(held)
            first = asyncio.ensure_future(writer.record(entry(1)))
            await asyncio.get_running_loop().run_in_executor(None, writing.wait, 5)  # entry 1 is being written
            second = asyncio.ensure_future(writer.record(entry(2)))
            await asyncio.sleep(0)
            assert not first.done() and not second.done()
            release.set()
            await asyncio.gather(first, second)

        asyncio.run(main())
        assert [[e.object_id for e in batch] for batch in log.batches] == [["1"], ["2"]]

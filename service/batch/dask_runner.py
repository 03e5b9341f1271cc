"""Scale-out for ``declass batch --scheduler ADDRESS``: the same work as Dask tasks.

Each task releases a chunk of documents with :func:`declass.service.batch.work.release_chunk`
on a Dask worker, which reads the inputs and writes the released files to the
shared output directory itself (so every worker must see the input and output
directories at the same paths, and have the same declass installed). Only the
manifest records travel back; this process appends them to the manifest as
chunks finish. dask.distributed is an optional extra: ``declass[batch-dask]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from declass.rules.errors import DeclassError, RequestError
from declass.service.batch.chunks import chunk_size, chunked
from declass.service.batch.manifest import Record
from declass.service.batch.work import BatchJob, Task, release_chunk

CONNECT_TIMEOUT = "10s"
#: Larger than local chunks: each task costs a scheduler round trip.
LARGEST_CHUNK = 64


def connect(address: str) -> Any:
    """A client of the scheduler at ``address``, or one clear error."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise RequestError(
            "--scheduler needs dask.distributed; install it with: pip install 'declass[batch-dask]'"
        ) from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise RequestError(
            f"cannot reach the Dask scheduler at {address} ({type(exc).__name__})"
        ) from None


class DaskRunner:
    """Runs batch tasks on the cluster behind a scheduler address (a context manager)."""

    def __init__(self, address: str) -> None:
        self.client = connect(address)

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.client.close()

    def __call__(
        self, tasks: Sequence[Task], job: BatchJob, sink: Callable[[Record], None]
    ) -> None:
        """Release ``tasks`` in chunks on the workers; ``sink`` gets each record."""
        from dask.distributed import as_completed

        threads = max(1, sum(self.client.nthreads().values()))
        size = chunk_size(len(tasks), threads, LARGEST_CHUNK)
        shared = self.client.scatter(job, broadcast=True)
        futures = [
            self.client.submit(release_chunk, chunk, shared, pure=False)
            for chunk in chunked(tasks, size)
        ]
        for future in as_completed(futures, loop=self.client.loop):  # type: ignore[no-untyped-call]
            for record in _result(future):
                sink(record)


def _result(future: Any) -> list[Record]:
    try:
        records: list[Record] = future.result()
    except Exception as exc:  # a lost worker, a task the cluster gave up on
        raise DeclassError(
            f"a Dask task failed ({type(exc).__name__}); run the same command again to resume"
        ) from None
    return records

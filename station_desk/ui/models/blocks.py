"""Rows of a long SQL list, fetched in blocks as a view asks for them.

The windowed models (deputies, cases, …) keep their rows here: the count
comes from SQL, a block of ``block_size`` rows is read on first use, and at
most ``max_blocks`` blocks stay cached (least recently used go first).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Callable


class RowBlocks:
    def __init__(self, fetch: Callable[[int, int], list[dict]], *, block_size: int = 200,
                 max_blocks: int = 30) -> None:
        """``fetch(offset, limit)`` reads one page of the list as it is now."""
        self.fetch = fetch
        self.block_size = block_size
        self.max_blocks = max_blocks
        self.fetches = 0  # page reads made (tests and benchmarks read it)
        self._blocks: OrderedDict[int, list[dict]] = OrderedDict()

    def clear(self) -> None:
        self._blocks.clear()

    def cached(self) -> list[int]:
        """The numbers of the blocks held now."""
        return sorted(self._blocks)

    def row(self, row: int) -> dict | None:
        """The row at ``row`` (reading its block when it is not cached)."""
        block = row // self.block_size
        rows = self._blocks.get(block)
        if rows is None:
            rows = self.fetch(block * self.block_size, self.block_size)
            self.fetches += 1
            self._blocks[block] = rows
            while len(self._blocks) > self.max_blocks:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        i = row - block * self.block_size
        return rows[i] if i < len(rows) else None

    def cached_row_of(self, row_id: str) -> int | None:
        """The row number of the row with ``id`` ``row_id`` if its block is cached."""
        for block, rows in self._blocks.items():
            for i, r in enumerate(rows):
                if r["id"] == row_id:
                    return block * self.block_size + i
        return None

"""The block cache behind every windowed list."""
from station_desk.ui.models.blocks import RowBlocks


def test_blocks_are_read_once_and_the_oldest_leaves_first():
    reads = []

    def fetch(offset, limit):
        reads.append(offset)
        return [{"id": f"r{i}"} for i in range(offset, min(offset + limit, 95))]

    rows = RowBlocks(fetch, block_size=10, max_blocks=2)
    assert rows.row(3)["id"] == "r3" and rows.row(7)["id"] == "r7"
    assert reads == [0]
    rows.row(25)
    rows.row(1)            # block 0 becomes the most recent
    rows.row(45)           # so block 2 (row 25) is the one dropped
    assert rows.cached() == [0, 4]
    assert rows.cached_row_of("r45") == 45 and rows.cached_row_of("r25") is None
    assert rows.row(99) is None  # past the end of the last block
    assert rows.fetches == len(reads) == 4
    rows.clear()
    assert rows.cached() == []

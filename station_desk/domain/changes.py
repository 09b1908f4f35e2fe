"""What a service call changed, so screens refresh only when a table they show did."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    tables: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    created_id: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, *tables: str, ids=(), created_id: str | None = None) -> "Changes":
        return cls(frozenset(tables), frozenset(ids), created_id)

    def touches(self, *tables: str) -> bool:
        return bool(self.tables.intersection(tables))

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(self.tables | other.tables, self.ids | other.ids,
                       self.created_id or other.created_id)

    def __bool__(self) -> bool:
        return bool(self.tables)

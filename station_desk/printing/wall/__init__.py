"""The wall notices (公示栏): one module per notice, drawn with ``board``.

Importing the package imports reportlab: do it only when printing."""
from station_desk.printing.wall import (  # noqa: F401 (the notices, by name)
    board, deputies, plan, profile, reception, rules, summary, workflow,
)

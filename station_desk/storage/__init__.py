"""SQLite storage: opening, migrations, one module per aggregate, backups."""

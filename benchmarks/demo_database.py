"""The database a benchmark runs on, with the demo country loaded."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def demo_database(name: str) -> None:
    """Django on the benchmark settings, migrated, the demo loaded.

    PostgreSQL when DATABASE_URL points to it, else a fresh SQLite file `name`
    in a new temporary folder.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / name}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)

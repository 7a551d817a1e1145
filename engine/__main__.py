"""``python -m engine``: the command line (see engine/cli.py)."""

from .cli import main

raise SystemExit(main())

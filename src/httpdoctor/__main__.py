from __future__ import annotations

from httpdoctor.cli.entry import main

if __name__ == "__main__":
    raise SystemExit(main())

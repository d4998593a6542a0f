"""httpdoctor: why does my site answer with this status code, and how do I fix it?

The package root stays import-light on purpose: ``httpdoctor explain`` has to start
in a few tens of milliseconds, so capabilities are imported from their own packages
(``httpdoctor.codes`` …) rather than re-exported here.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"

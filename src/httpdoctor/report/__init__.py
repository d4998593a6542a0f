"""Rendering: turns computed answers into text for people and JSON for programs.

Nothing is re-exported here: the instant commands import only the renderer they use
(``httpdoctor.report.explain_text`` …), and this package's import must stay free.
"""

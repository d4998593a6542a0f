"""One module per CLI command: its arguments and a handler returning an exit code."""

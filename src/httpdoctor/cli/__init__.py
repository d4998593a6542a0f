"""The command line: argument parsing, the one error boundary, and output.

``httpdoctor.cli.main.run(argv, env)`` is the in-process entry point;
``httpdoctor.cli.entry.main`` is what the console script calls.
"""

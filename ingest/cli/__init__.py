"""The `incident-atlas` command line: one module per subcommand, shared options in options.py."""

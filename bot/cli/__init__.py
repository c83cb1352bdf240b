"""The `supportbot` console command; each subcommand lives in its own `cmd_*.py` module."""

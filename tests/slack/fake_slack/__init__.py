"""Moved to tests/support/fake_slack/; these modules keep the old import paths working."""

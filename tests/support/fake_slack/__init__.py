"""Fakes of Slack's servers on loopback: the Web API (`server`), Socket Mode (`socket_server`)."""

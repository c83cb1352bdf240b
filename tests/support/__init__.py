"""What more than one test folder (and bench/) uses: fakes, drivers and scenario helpers.

- `nlu`: the trained NLU of one test run (see the fixtures in tests/conftest.py).
- `engine`: hand-written parse results and a conversation driver for the engine.
- `intake`: a designated contact's intake with scripted parses, on any store.
- `stores`: store backends (SQLite file, a namespace on the shared Redis) and case drafts.
- `redis_server`: a private redis-server a test may kill, restart or freeze.
- `fake_slack`: a fake Slack Web API and Socket Mode servers on loopback.
- `slack`: signed Slack payloads dispatched through Bolt, and scenario helpers.

Fixtures stay in the folders' conftest.py files; those re-export these names under their old
import paths.
"""

"""Test and benchmark support: synthetic orgs and sites, the GitHub stand-in, the workflow
emulator. None of it ships in the ``infradocs`` package."""

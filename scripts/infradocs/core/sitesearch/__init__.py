"""Check that readers' searches (component, bot, token, channel names) find the right page first."""

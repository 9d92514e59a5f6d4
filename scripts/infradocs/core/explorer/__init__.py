"""The inventory explorer: compact static data for the browser, the Sphinx extension, the bench."""

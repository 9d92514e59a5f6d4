"""The inventory explorer: compact static data for the browser and the Sphinx extension."""

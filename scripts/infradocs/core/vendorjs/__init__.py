"""Vendor pinned npm packages' browser files into docs/_static/vendor, with their licences."""

"""Markdown/MyST checks for docs/ that Sphinx itself does not make."""

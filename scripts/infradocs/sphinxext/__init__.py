"""The Sphinx layer: one module per extension named in conf.py, plus the nodes they render."""

"""The versioned site: one build per release tag plus the development head, with a switcher.

Built on sphinx-polyversion (git refs, temporary worktrees, per-version builds); this package
adds the commit-keyed cache, the stable alias, switcher.json, banners, canonical links, sitemap
and 404 page.
"""

"""Link checking for the site: internal links on every build, external links on demand."""

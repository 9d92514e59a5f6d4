"""Security findings for the inventory: zizmor plus the org-specific checks, and the posture."""

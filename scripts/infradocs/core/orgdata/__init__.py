"""What site builds take from the org-wide snapshot: the org tables' counts and the explorer's
files, derived once where the snapshot is made."""

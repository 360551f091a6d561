"""The six-monthly review: what changed per unit, its maps and the review pack (PDF)."""

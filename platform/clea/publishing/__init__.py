"""The federation publishes: referential versions without a software release (issue 15 §4), and the acts it
bills the evaluating organisations for, counted from facts (§5, R15)."""

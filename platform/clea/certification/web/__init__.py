"""The federation's French pages: jury members, federation staff, public verification."""

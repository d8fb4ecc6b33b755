"""The federation's side of certification (public schema): files submitted to juries, and their outcome."""

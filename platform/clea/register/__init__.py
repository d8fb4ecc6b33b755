"""The certifier's register (public schema): establishments and their accreditations (R14), training bodies,
and the federation's back office pages over them. Models live in ``clea_tenants`` (the journey below reads
them for R14); the decisions are :mod:`clea.register.services` and :mod:`clea.register.training_bodies`."""

"""Personal data (GDPR): export, erasure, retention periods and the register of processing.

* :mod:`clea.privacy.export`    everything the organisation holds about a candidate (JSON, PDF);
* :mod:`clea.privacy.erasure`   erasure on request, keeping after certification only what the certifier must;
* :mod:`clea.privacy.retention` per-organisation retention periods and the daily purge;
* :mod:`clea.privacy.register`  the federation's register of processing (``register.yaml``).
"""

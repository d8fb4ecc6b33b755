"""The Transport–logistique branch plugin (entry point ``clea.branches: transport_logistique``).

Everything is data (``data/modalities.yaml``) plus the branch's rules (``rules.py``).
"""

from clea_branch_transport_logistique.rules import RULES
from clea_plugins.declarative import DeclarativeBranch

plugin = DeclarativeBranch("clea_branch_transport_logistique", rules=RULES)

"""The Propreté branch plugin (entry point ``clea.branches: proprete = "clea_branch_proprete.hooks:plugin"``).

Everything is data (``data/modalities.yaml``) plus the branch's rules (``rules.py``).
"""

from clea_branch_proprete.rules import RULES
from clea_plugins.declarative import DeclarativeBranch

plugin = DeclarativeBranch("clea_branch_proprete", rules=RULES)

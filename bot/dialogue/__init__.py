"""The assistant's domain and rules in Rasa's YAML formats (domain.yml, rules.yml)."""

from pathlib import Path

DIALOGUE_DIR = Path(__file__).resolve().parent
DOMAIN_PATH = DIALOGUE_DIR / "domain.yml"
RULES_PATH = DIALOGUE_DIR / "rules.yml"

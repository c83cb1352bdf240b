"""Natural-language understanding: intent, impact, workaround, entities, issues, KB retrieval.

Everything here is trained on the project's own data in `nlu/data/` (Rasa NLU YAML) and runs
without downloading anything. The dialogue engine uses `nlu.service.get_service()`.
"""

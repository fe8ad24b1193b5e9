"""The prompt library (``*.toml``), installed as the package data `modernize.prompts` (see
pyproject); read it with ``modernize.llm.load_prompts()``."""

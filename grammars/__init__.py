"""Tree-sitter query files, installed as the package data `modernize.grammars` (see pyproject)."""

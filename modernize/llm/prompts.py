"""The prompt library: one TOML file per prompt in ``prompts/`` (see ``prompts/README.md``).

A prompt has an ``id``, a ``version`` (a changed prompt gets a new one; the cache and the audit
log tell versions apart), a ``purpose``, the ``inputs`` it needs, the ``output_schema`` it expects
(the name of a pydantic model the caller resolves from its registry, or an inline JSON Schema) and
a ``[template]`` with ``system`` and ``user`` parts in Jinja2. Templates are strict: rendering
without a declared input, with an undeclared one, or touching a missing attribute fails with a
``PromptError`` naming the prompt and the variable. The ``tojson`` filter writes JSON without
HTML escaping (pydantic models and dataclasses included).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from pydantic import BaseModel

from .errors import PromptError
from .provider import Message

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
REQUIRED = ("id", "version", "purpose", "inputs", "output_schema", "template")
Registry = Mapping[str, type[BaseModel]]


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def tojson(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=False, default=_jsonable)


_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False,
                          keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True)
_ENV.filters["tojson"] = tojson


@dataclass(frozen=True)
class Prompt:
    id: str
    version: str
    purpose: str
    inputs: tuple[str, ...]
    output_schema: str | dict[str, Any]  # a model name (see ``output_model``) or a JSON Schema
    system: str
    user: str
    source: str = ""  # the file it came from
    _templates: tuple[jinja2.Template, jinja2.Template] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = f"prompt {self.id!r} ({self.source or 'inline'})"
        if not ID_PATTERN.match(self.id):
            raise PromptError(f"{where}: the id must be lowercase words joined by '.' or '-'")
        if not self.user.strip():
            raise PromptError(f"{where}: [template] needs a non-empty 'user' part")
        try:
            templates = (_ENV.from_string(self.system), _ENV.from_string(self.user))
            used = set().union(*(jinja2.meta.find_undeclared_variables(_ENV.parse(part))
                                 for part in (self.system, self.user)))
        except jinja2.TemplateSyntaxError as exc:
            raise PromptError(f"{where}: template syntax error on line {exc.lineno}: "
                              f"{exc.message}") from exc
        if undeclared := sorted(used - set(self.inputs)):
            raise PromptError(f"{where}: the template uses {', '.join(undeclared)} but 'inputs' "
                              "does not declare it; add it to inputs")
        if unused := sorted(set(self.inputs) - used):
            raise PromptError(f"{where}: declares input {', '.join(unused)} that the template "
                              "never uses; remove it from inputs or use it")
        object.__setattr__(self, "_templates", templates)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def render(self, **inputs: Any) -> list[Message]:
        """The messages of this prompt for these inputs (system first, when there is one)."""
        if missing := [name for name in self.inputs if name not in inputs]:
            raise PromptError(f"prompt {self.key}: missing input {', '.join(missing)}; it needs "
                              f"{', '.join(self.inputs)}")
        if extra := sorted(set(inputs) - set(self.inputs)):
            raise PromptError(f"prompt {self.key}: unexpected input {', '.join(extra)}; it takes "
                              f"{', '.join(self.inputs)}")
        system, user = self._templates
        try:
            parts = [("system", system.render(**inputs)), ("user", user.render(**inputs))]
        except jinja2.UndefinedError as exc:
            raise PromptError(f"prompt {self.key}: {exc.message} while rendering; check the "
                              "inputs passed to it") from exc
        return [Message(role, text.strip()) for role, text in parts if text.strip()]

    def output_model(self, registry: Registry) -> type[BaseModel]:
        """The pydantic model named by ``output_schema``, looked up in the caller's registry."""
        if not isinstance(self.output_schema, str):
            raise PromptError(f"prompt {self.key} declares an inline JSON Schema, not a model "
                              "name; use json_schema() instead")
        try:
            return registry[self.output_schema]
        except KeyError:
            raise PromptError(f"prompt {self.key} expects the output model {self.output_schema!r}"
                              f"; the registry has {', '.join(sorted(registry)) or 'nothing'}: "
                              "add it there or fix output_schema in "
                              f"{self.source or 'the prompt file'}") from None

    def json_schema(self, registry: Registry | None = None) -> dict[str, Any]:
        """The JSON Schema the answer must follow."""
        if isinstance(self.output_schema, dict):
            return self.output_schema
        return self.output_model(registry or {}).model_json_schema()


def parse_prompt(text: str, source: str = "") -> Prompt:
    """A prompt from the text of its TOML file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PromptError(f"{source or 'prompt'} is not valid TOML: {exc}") from exc
    if missing := [name for name in REQUIRED if name not in data]:
        raise PromptError(f"{source or 'prompt'} lacks {', '.join(missing)}; a prompt file "
                          f"needs {', '.join(REQUIRED)} (see prompts/README.md)")
    template = data["template"]
    inputs = data["inputs"]
    if not isinstance(template, dict) or not isinstance(inputs, list):
        raise PromptError(f"{source}: 'template' must be a table with system and user parts "
                          "and 'inputs' a list of names")
    schema = data["output_schema"]
    if isinstance(schema, str) and schema.lstrip().startswith("{"):
        try:
            schema = json.loads(schema)
        except json.JSONDecodeError as exc:
            raise PromptError(f"{source}: output_schema is not valid JSON: {exc}") from exc
    if not isinstance(schema, str | dict):
        raise PromptError(f"{source}: output_schema must be a model name or a JSON Schema")
    return Prompt(id=str(data["id"]), version=str(data["version"]),
                  purpose=str(data["purpose"]).strip(), inputs=tuple(map(str, inputs)),
                  output_schema=schema, system=str(template.get("system", "")),
                  user=str(template.get("user", "")), source=source)


def prompts_folder() -> Traversable:
    """``prompts/`` installs as the package ``modernize.prompts``; in a source tree it is at the
    top of the repository."""
    try:
        return resources.files("modernize.prompts")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "prompts"


def load_prompts(folder: str | Path | Traversable | None = None) -> dict[str, Prompt]:
    """Every prompt of the library (``*.toml``; each file named after its id), by id."""
    root = prompts_folder() if folder is None else folder
    if isinstance(root, str):
        root = Path(root)
    if not root.is_dir():
        raise PromptError(f"no prompt folder at {root}; reinstall the package or pass the "
                          "folder holding the *.toml prompt files")
    found: dict[str, Prompt] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        prompt = parse_prompt(entry.read_text(encoding="utf-8"), source=str(entry))
        if entry.name != f"{prompt.id}.toml":
            raise PromptError(f"{entry.name} holds the prompt {prompt.id!r}; name the file "
                              f"{prompt.id}.toml")
        found[prompt.id] = prompt
    return found


def load_prompt(prompt_id: str, folder: str | Path | Traversable | None = None) -> Prompt:
    """One prompt of the library by id."""
    prompts = load_prompts(folder)
    if prompt_id not in prompts:
        raise PromptError(f"no prompt {prompt_id!r} in the library; it has "
                          f"{', '.join(prompts) or 'none'}")
    return prompts[prompt_id]

"""The documents the factory produces for people: specifications and a backlog.

Every item names the model ids it rests on and the source lines behind them (``Citation``), says
what generated it (``generated_by``: the embedded static generator or a model), and whether its
citations were checked (``verified``; when not, ``unverified_reason`` says why). Ids are stable
across runs, built from the model ids they describe, so review decisions and Jira issues can be
matched to regenerated items.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .model import Frozen

ARTIFACTS_VERSION = "1.0"
STATIC = "static-analysis"  # generated_by of the embedded default, which needs no model


class Citation(Frozen):
    id: str = Field(description="a model id: cobol:PGM, cobol:PGM/para:NAME, .../data:...")
    file: str
    line: int
    end_line: int | None = None

    @property
    def where(self) -> str:
        end = f"-{self.end_line}" if self.end_line and self.end_line != self.line else ""
        return f"{self.file}:{self.line}{end}"


class Traced(Frozen):
    id: str
    citations: tuple[Citation, ...] = ()
    generated_by: str = STATIC
    verified: bool = True
    unverified_reason: str | None = None


class Rule(Traced):
    """A business rule: when the condition holds, the paragraph does the action."""

    title: str
    paragraph: str = Field(description="key of the procedure the rule stands in")
    condition: str = Field(description="as written, level-88 names spelled out")
    action: str = Field(description="what the program does then, in COBOL terms")
    data_items: tuple[str, ...] = Field(default=(), description="items it reads or writes")


class Interface(Traced):
    kind: str = Field(description="file, table, screen, cics-file, call, caller, parameter")
    name: str
    direction: str = Field(description="in, out, in-out")
    detail: str = ""


class RecordLayout(Frozen):
    name: str
    length: int | None
    citation: Citation
    fields: tuple[tuple[str, str, str, int | None, int | None], ...] = Field(
        default=(), description="(level+name, picture, usage, offset, length) per item")


class ProgramSpec(Traced):
    program: str
    title: str
    purpose: str
    kind: str
    interfaces: tuple[Interface, ...] = ()
    layouts: tuple[RecordLayout, ...] = ()
    rules: tuple[Rule, ...] = ()
    control_flow: tuple[tuple[str, str, str], ...] = Field(
        default=(), description="(from, to, kind) edges of the paragraph control flow")
    dependencies: tuple[str, ...] = ()
    open_questions: tuple[Traced, ...] = ()
    question_texts: dict[str, str] = Field(default_factory=dict)


class EstateSpec(Traced):
    title: str
    summary: str
    programs: tuple[str, ...] = ()
    jobs: tuple[str, ...] = ()


class Criterion(Traced):
    """An acceptance criterion in Gherkin."""

    given: str
    when: str
    then: str

    @property
    def gherkin(self) -> str:
        return f"Given {self.given}\nWhen {self.when}\nThen {self.then}"


class TestCase(Traced):
    __test__: ClassVar[bool] = False  # a document, not a pytest test class

    title: str
    criterion: str = Field(description="id of the criterion it checks")
    steps: tuple[str, ...] = ()
    data: str = ""
    expected: str = ""


class Story(Traced):
    epic: str
    title: str
    as_a: str
    i_want: str
    so_that: str
    criteria: tuple[Criterion, ...] = ()
    tests: tuple[TestCase, ...] = ()

    @property
    def statement(self) -> str:
        return f"As {self.as_a}, I want {self.i_want}, so that {self.so_that}."


class Epic(Traced):
    title: str
    description: str


class Backlog(Frozen):
    version: str = ARTIFACTS_VERSION
    epics: tuple[Epic, ...] = ()
    stories: tuple[Story, ...] = ()

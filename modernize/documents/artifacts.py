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

from ..core.model import Frozen

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


class Action(Frozen):
    """One statement a rule's branch runs: as written (literals kept) and in words."""

    text: str = Field(description="the statement in COBOL terms, literals as written")
    words: str = Field(default="", description="the same in words a business analyst reads")
    file: str
    line: int


class Rule(Traced):
    """A business rule: one branch of a decision. When the branch's condition holds, the
    paragraph runs exactly the branch's statements (``actions``)."""

    title: str = Field(description="the condition in words")
    paragraph: str = Field(description="key of the procedure the rule stands in")
    condition: str = Field(description="the branch's own condition in COBOL terms, level-88 "
                                       "names spelled out")
    action: str = Field(description="what the program does then, in COBOL terms")
    data_items: tuple[str, ...] = Field(default=(), description="items it reads or writes")
    decision: str = Field(default="", description="the deciding statement: IF, EVALUATE, "
                                                  "READ … (the branch belongs to it)")
    branch: str = Field(default="", description="THEN, ELSE, WHEN, WHEN OTHER, AT END, "
                                                "NOT AT END, INVALID KEY, ON SIZE ERROR …")
    decision_line: int | None = Field(default=None, description="the line of the deciding "
                                      "statement, in the file of the first citation")
    branch_index: int = Field(default=0, description="which branch of the statement, from 0")
    actions: tuple[Action, ...] = ()
    parent: str | None = Field(default=None, description="the rule whose branch holds this "
                                                         "rule's decision (nested decisions)")


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
    error_handling: tuple[Rule, ...] = Field(
        default=(), description="branches that handle a file status, an SQL or CICS response "
                                "or end the run abnormally: one section, not a rule each")
    glossary: tuple[tuple[str, str], ...] = Field(
        default=(), description="(words, data item) for every name the rules put in words")
    purpose_unverified_reason: str | None = Field(default=None, description=(
        "set when a model wrote the purpose and it names what the program does not have "
        "(grounding.py): why it is unverified"))


class EstateSpec(Traced):
    title: str
    summary: str
    programs: tuple[str, ...] = ()
    jobs: tuple[str, ...] = ()
    summary_unverified_reason: str | None = Field(default=None, description=(
        "set when the summary names what the estate does not have: why it is unverified"))


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

"""The backlog a business analyst reads: online programs as screens, CICS names not data,
sentences that keep acronyms, test steps without repeats; and its Jira export, with the
criteria inside the story and sub-tasks only when asked. On a small shop-shaped estate written
here, on the samples, and on the public CICS estates under ../shared/estates when present."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from modernize.analysis.run import analyze_into
from modernize.documents.artifacts import Backlog, Citation, Rule
from modernize.documents.backlog import (
    aid_key,
    backlog,
    cics_supplied,
    clause,
    condition_words,
    criterion_of,
    data_names,
    screens,
)
from modernize.documents.factory import build
from modernize.documents.jira import SUBTASK, TEXT_LIMIT, export_jira

ROOT = Path(__file__).resolve().parent.parent
ESTATES = ROOT.parent / "shared" / "estates"
CICS_NAME = re.compile(r"\b(DFH[A-Z0-9]*|EIB[A-Z0-9]+|NORMAL|NOTFND|MAPFAIL|DUPREC)\b")


def fixed(text: str) -> str:
    """Free-form lines as fixed-format COBOL: seven columns of sequence and indicator area."""
    lines = []
    for line in text.strip("\n").split("\n"):
        assert len(line) <= 65, line  # column 72 at most
        lines.append(("       " + line).rstrip())
    return "\n".join(lines) + "\n"


CUSTINQ = fixed("""\
IDENTIFICATION DIVISION.
PROGRAM-ID. CUSTINQ.
DATA DIVISION.
WORKING-STORAGE SECTION.
01  WS-RESP                 PIC S9(8) COMP.
01  WS-CUST-KEY             PIC X(8).
COPY CUSTSET.
COPY DFHAID.
01  CUST-REC.
    05 CUST-ID              PIC X(8).
    05 CUST-NAME            PIC X(30).
    05 CUST-BAL             PIC S9(7)V99 COMP-3.
LINKAGE SECTION.
01  DFHCOMMAREA             PIC X(10).
PROCEDURE DIVISION.
0000-MAIN.
    IF EIBCALEN = 0
        MOVE LOW-VALUES TO CUSTMAPO
        PERFORM 1000-SEND-MAP
    ELSE
        EVALUATE EIBAID
            WHEN DFHPF3
                EXEC CICS RETURN END-EXEC
            WHEN DFHENTER
                PERFORM 2000-INQUIRE
            WHEN OTHER
                MOVE 'USE ENTER OR PF3' TO MSGO
                PERFORM 1000-SEND-MAP
        END-EVALUATE
    END-IF
    EXEC CICS RETURN TRANSID('CINQ') END-EXEC.
1000-SEND-MAP.
    EXEC CICS SEND MAP('CUSTMAP') MAPSET('CUSTSET')
         FROM(CUSTMAPO) ERASE END-EXEC.
2000-INQUIRE.
    EXEC CICS RECEIVE MAP('CUSTMAP') MAPSET('CUSTSET')
         INTO(CUSTMAPI) RESP(WS-RESP) END-EXEC
    IF WS-RESP = DFHRESP(MAPFAIL)
        MOVE 'ENTER A CUSTOMER ID' TO MSGO
    ELSE
        MOVE CUSTIDI TO WS-CUST-KEY
        EXEC CICS READ FILE('CUSTMST') INTO(CUST-REC)
             RIDFLD(WS-CUST-KEY) RESP(WS-RESP) END-EXEC
        EVALUATE WS-RESP
            WHEN DFHRESP(NORMAL)
                MOVE CUST-NAME TO NAMEO
                MOVE CUST-BAL TO BALO
            WHEN DFHRESP(NOTFND)
                MOVE 'CUSTOMER NOT FOUND' TO MSGO
        END-EVALUATE
    END-IF
    PERFORM 1000-SEND-MAP.
""")

# the symbolic map BMS generates for mapset CUSTSET (DFHMSD TYPE=DSECT, LANG=COBOL)
CUSTSET = fixed("""\
01  CUSTMAPI.
    02  FILLER PIC X(12).
    02  CUSTIDL    COMP  PIC  S9(4).
    02  CUSTIDF    PICTURE X.
    02  FILLER REDEFINES CUSTIDF.
      03 CUSTIDA    PICTURE X.
    02  CUSTIDI  PIC X(8).
    02  NAMEL      COMP  PIC  S9(4).
    02  NAMEF      PICTURE X.
    02  FILLER REDEFINES NAMEF.
      03 NAMEA      PICTURE X.
    02  NAMEI    PIC X(30).
    02  BALL       COMP  PIC  S9(4).
    02  BALF       PICTURE X.
    02  FILLER REDEFINES BALF.
      03 BALA       PICTURE X.
    02  BALI     PIC X(13).
    02  TODAYL     COMP  PIC  S9(4).
    02  TODAYF     PICTURE X.
    02  FILLER REDEFINES TODAYF.
      03 TODAYA     PICTURE X.
    02  TODAYI   PIC X(10).
    02  MSGL       COMP  PIC  S9(4).
    02  MSGF       PICTURE X.
    02  FILLER REDEFINES MSGF.
      03 MSGA       PICTURE X.
    02  MSGI     PIC X(60).
01  CUSTMAPO REDEFINES CUSTMAPI.
    02  FILLER PIC X(12).
    02  FILLER PICTURE X(3).
    02  CUSTIDO  PIC X(8).
    02  FILLER PICTURE X(3).
    02  NAMEO    PIC X(30).
    02  FILLER PICTURE X(3).
    02  BALO     PIC X(13).
    02  FILLER PICTURE X(3).
    02  TODAYO   PIC X(10).
    02  FILLER PICTURE X(3).
    02  MSGO     PIC X(60).
""")

# its symbolic map copybook ACCTSET is not in the estate (as on the public estates)
ACCTMNT = fixed("""\
IDENTIFICATION DIVISION.
PROGRAM-ID. ACCTMNT.
DATA DIVISION.
WORKING-STORAGE SECTION.
01  WS-RESP                 PIC S9(8) COMP.
01  WS-KEY                  PIC X(10).
COPY ACCTSET.
COPY DFHAID.
PROCEDURE DIVISION.
0000-MAIN.
    EXEC CICS RECEIVE MAP('ACCTMAP') MAPSET('ACCTSET')
         INTO(ACCTMAPI) RESP(WS-RESP) END-EXEC
    IF ACCTNOL = 0
        MOVE 'ACCOUNT NUMBER REQUIRED' TO MSGO
    ELSE
        MOVE ACCTNOI TO WS-KEY
        MOVE WS-KEY TO ACCTNOO
        MOVE 'ACCOUNT FOUND' TO MSGO
    END-IF
    IF WS-RESP NOT = DFHRESP(NORMAL)
        MOVE 'PLEASE RETRY' TO MSGO
    END-IF
    EXEC CICS SEND MAP('ACCTMAP') MAPSET('ACCTSET')
         FROM(ACCTMAPO) END-EXEC
    EXEC CICS SEND MAP('MENUMAP') MAPSET('MENUSET')
         MAPONLY END-EXEC
    EXEC CICS RETURN END-EXEC.
""")

BATCHUPD = fixed("""\
IDENTIFICATION DIVISION.
PROGRAM-ID. BATCHUPD.
ENVIRONMENT DIVISION.
INPUT-OUTPUT SECTION.
FILE-CONTROL.
    SELECT TRAN-FILE ASSIGN TO TRANIN
        FILE STATUS IS WS-TRAN-STATUS.
    SELECT RPT-FILE ASSIGN TO RPTOUT.
DATA DIVISION.
FILE SECTION.
FD  TRAN-FILE.
01  TRAN-REC.
    05 TRAN-ID              PIC X(8).
    05 TRAN-AMT             PIC 9(7)V99.
    05 TRAN-TYPE            PIC X.
       88 TRAN-CREDIT       VALUE 'C'.
FD  RPT-FILE.
01  RPT-LINE                PIC X(80).
WORKING-STORAGE SECTION.
01  WS-TRAN-STATUS          PIC XX.
    88 TRAN-EOF             VALUE '10'.
01  WS-LIMIT                PIC 9(7)V99 VALUE 5000.
01  WS-TOTAL                PIC 9(9)V99 VALUE 0.
01  WS-BIG                  PIC 9(5) VALUE 0.
PROCEDURE DIVISION.
0000-MAIN.
    OPEN INPUT TRAN-FILE OUTPUT RPT-FILE
    PERFORM 1000-READ
    PERFORM 2000-POST UNTIL TRAN-EOF
    CLOSE TRAN-FILE RPT-FILE
    STOP RUN.
1000-READ.
    READ TRAN-FILE
        AT END CONTINUE
    END-READ.
2000-POST.
    IF TRAN-AMT > WS-LIMIT
        ADD 1 TO WS-BIG
        MOVE 'OVER LIMIT' TO RPT-LINE
        WRITE RPT-LINE
    ELSE
        IF TRAN-CREDIT
            SUBTRACT TRAN-AMT FROM WS-TOTAL
        ELSE
            ADD TRAN-AMT TO WS-TOTAL
        END-IF
    END-IF
    PERFORM 1000-READ.
""")

NIGHTLY = """\
//NIGHTLY  JOB (ACCT),'POSTING',CLASS=A
//STEP010  EXEC PGM=BATCHUPD
//TRANIN   DD DSN=PROD.TRANS,DISP=SHR
//RPTOUT   DD SYSOUT=*
"""


def write_estate(root: Path) -> Path:
    (root / "cics" / "copy").mkdir(parents=True)
    (root / "cobol").mkdir()
    (root / "jcl").mkdir()
    (root / "cics" / "CUSTINQ.cbl").write_text(CUSTINQ)
    (root / "cics" / "ACCTMNT.cbl").write_text(ACCTMNT)
    (root / "cics" / "copy" / "CUSTSET.cpy").write_text(CUSTSET)
    (root / "cobol" / "BATCHUPD.cbl").write_text(BATCHUPD)
    (root / "jcl" / "NIGHTLY.jcl").write_text(NIGHTLY)
    return root


def analysed(root: Path, out: Path):
    run = analyze_into(root, out)
    return run.estate, build(run.estate, run.analysis)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    root = write_estate(tmp_path_factory.mktemp("shop") / "estate")
    return analysed(root, tmp_path_factory.mktemp("shop-out"))


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return analysed(ROOT / "legacy_samples", tmp_path_factory.mktemp("samples-out"))


def real_estate(name: str, tmp_path_factory):
    if not (ESTATES / name).is_dir():
        pytest.skip(f"{ESTATES / name} is not here")
    return analysed(ESTATES / name, tmp_path_factory.mktemp(f"{name}-out"))


@pytest.fixture(scope="module")
def cbsa(tmp_path_factory):
    return real_estate("cbsa", tmp_path_factory)


@pytest.fixture(scope="module")
def genapp(tmp_path_factory):
    return real_estate("genapp", tmp_path_factory)


def story_of(artifacts, name: str):
    return next(s for s in artifacts.backlog.stories if s.id == f"story:{name}")


# --- the shop estate: hand-written expectations ---------------------------------------------


def test_a_screen_with_its_symbolic_map_has_its_fields_as_inputs_and_outputs(shop):
    estate, artifacts = shop
    (screen,) = screens(estate.program("CUSTINQ"))
    assert (screen.map, screen.mapset) == ("CUSTMAP", "CUSTSET")
    assert screen.inputs == ("CUSTID",)  # MOVE CUSTIDI TO WS-CUST-KEY
    assert screen.outputs == ("NAME", "BAL", "MSG")  # MOVE … TO NAMEO / BALO / MSGO
    assert screen.unused == ("TODAY",)  # on the map, never read or filled
    assert screen.fields_from == "copybook"

    story = story_of(artifacts, "CUSTINQ")
    first = story.criteria[0]
    assert first.id == "criterion:CUSTINQ/screen:CUSTMAP"
    assert first.given == "the user is on screen CUSTMAP (mapset CUSTSET)"
    assert first.when == "the user fills in CUSTID and sends the screen"
    assert first.then == "the screen shows NAME, BAL and MSG; also on the map: TODAY"
    assert first.verified, first.unverified_reason  # cites the SEND/RECEIVE MAP lines
    cited = {(c.id, c.line) for c in first.citations}
    assert ("cobol:CUSTINQ/para:1000-SEND-MAP", 33) in cited
    assert ("cobol:CUSTINQ/para:2000-INQUIRE", 36) in cited
    assert ("cobol:CUSTINQ/data:CUSTMAPI", 1) in cited
    test = story.tests[0]
    assert test.criterion == first.id
    assert test.steps == ("Start CUSTINQ so that it shows screen CUSTMAP (mapset CUSTSET)",
                          "Fill in CUSTID and send the screen (Enter)",
                          "Check that the screen shows NAME, BAL and MSG with the values the "
                          "legacy program shows")
    assert "its screen: CUSTMAP (mapset CUSTSET)" in story.i_want


def test_a_screen_whose_symbolic_map_is_missing_is_read_off_the_names_used(shop):
    estate, artifacts = shop
    acct, menu = screens(estate.program("ACCTMNT"))
    assert (acct.map, acct.mapset, acct.fields_from) == ("ACCTMAP", "ACCTSET", "names")
    assert acct.inputs == ("ACCTNO",)  # IF ACCTNOL = 0, MOVE ACCTNOI TO WS-KEY
    assert set(acct.outputs) == {"ACCTNO", "MSG"}
    assert acct.missing_copybooks == ("ACCTSET",)
    # MAPONLY: no fields the program touches, and no copybook of MENUSET to blame
    assert (menu.map, menu.mapset, menu.fields_from) == ("MENUMAP", "MENUSET", "")
    assert (menu.inputs, menu.outputs, menu.missing_copybooks) == ((), (), ())

    criteria = {c.id: c for c in story_of(artifacts, "ACCTMNT").criteria}
    said = criteria["criterion:ACCTMNT/screen:ACCTMAP"].then
    assert "copybook ACCTSET, the symbolic map, is missing" in said
    menu_said = criteria["criterion:ACCTMNT/screen:MENUMAP"]
    assert menu_said.given == "the user is on screen MENUMAP (mapset MENUSET)"
    assert "its fields are not known: no symbolic map record of it is declared" in menu_said.then


def test_cics_names_are_keys_and_responses_not_data(shop):
    estate, artifacts = shop
    program = estate.program("CUSTINQ")
    declared = {d.name for d in program.data_items}
    for name in ("DFHRESP", "MAPFAIL", "NORMAL", "NOTFND", "DFHENTER", "DFHPF3", "EIBAID",
                 "EIBCALEN"):
        assert cics_supplied(name, declared), name
    assert not cics_supplied("DFHCOMMAREA", declared)  # declared in LINKAGE: the program's
    assert not cics_supplied("WS-RESP", declared)
    assert data_names(["WS-RESP", "DFHRESP", "MAPFAIL", "WS-RESP", "MSGO"], program) == (
        "WS-RESP", "MSGO")
    assert [aid_key(n) for n in ("DFHPF3", "DFHPF12", "DFHPA1", "DFHENTER", "WS-X")] == [
        "PF3", "PF12", "PA1", "Enter", None]

    story = story_of(artifacts, "CUSTINQ")
    givens = [c.given for c in story.criteria]
    assert "the program starts for the first time (no COMMAREA)" in givens
    assert "the user presses PF3" in givens and "the user presses Enter" in givens
    assert "the user presses a key other than PF3 or Enter" in givens
    for test in story.tests:
        listed = re.findall(r"Values of (.*?) that make", test.data)
        for names in listed:
            assert not CICS_NAME.search(names), test.data
    steps = {t.steps[1]: t for t in story.tests}
    assert steps["Press PF3"].steps[0] == "Show screen CUSTMAP (mapset CUSTSET)"
    assert steps["Press PF3"].data == ("The key PF3 for the first run and another key for the "
                                       "second")
    other = steps["Press a key other than PF3 or Enter"]
    assert other.data == "A key other than PF3 or Enter for the first run and one of them for " \
        "the second"
    first = next(t for t in story.tests if "(no COMMAREA)" in t.steps[0])
    assert first.data.startswith("A first entry (no COMMAREA) for one run")
    assert "Values of" not in first.data  # EIBCALEN is CICS's, not data to prepare

    # a condition on a field of a screen whose symbolic map is missing names the field
    acct = story_of(artifacts, "ACCTMNT")
    empty = next(t for t in acct.tests if "ACCTNOL" in t.steps[0])
    assert "Values of field ACCTNO of screen ACCTMAP that make the condition true" in empty.data

    # a rule on a CICS response (the specs may file these under error handling instead)
    spec = next(s for s in artifacts.specs if s.program == "cobol:CUSTINQ")
    para = program.paragraph("2000-INQUIRE")
    rule = Rule(id="rule:CUSTINQ/2000-INQUIRE/9", title="When the map came back empty",
                paragraph=para.key, condition="WS-RESP = DFHRESP ( MAPFAIL )",
                action="MOVE 'ENTER A CUSTOMER ID' TO MSGO",
                data_items=("WS-RESP", "DFHRESP", "MAPFAIL", "MSGO", "WS-RESP"),
                citations=(Citation(id=para.id, file=para.file, line=39, end_line=40),))
    made = backlog(estate, [spec.model_copy(update={"rules": (rule,)})]).stories[0]
    criterion, test = made.criteria[-1], made.tests[-1]
    assert criterion.given == ("the CICS response in WS-RESP is MAPFAIL (the screen came back "
                               "with no data)")
    assert test.data == ("A CICS response of MAPFAIL (the screen came back with no data) for "
                         "the first run and another response for the second. Values of WS-RESP "
                         "that make the condition true, and a second set that makes it false")
    assert test.steps[0] == ("Prepare screen CUSTMAP (mapset CUSTSET) and CUSTMST so that the "
                             "CICS response in WS-RESP is MAPFAIL (the screen came back with no "
                             "data)")


def test_batch_steps_name_each_input_and_output_once_and_the_job_step(shop):
    _, artifacts = shop
    story = story_of(artifacts, "BATCHUPD")
    assert story.i_want.startswith("BATCHUPD to keep doing what it does today: batch program "
                                   "reading TRANIN and writing RPTOUT")
    assert len(story.criteria) >= 4 and len(story.criteria) == len(story.tests)
    for test in story.tests:
        prepare, run, compare = test.steps
        assert prepare.startswith("Prepare the input (TRANIN) so that ")
        assert run == "Run BATCHUPD the way step STEP010 of job NIGHTLY runs it"
        assert compare == "Compare the output (RPTOUT) with the expected result"


def test_sentences_keep_acronyms_and_read_as_one_clause():
    assert clause("CICS online program reading ACCTMST.") == \
        "CICS online program reading ACCTMST"
    assert clause("Batch program reading TRANIN. Runs in NIGHTLY step STEP010.") == \
        "batch program reading TRANIN; runs in NIGHTLY step STEP010"
    assert clause("DB2 program. Called by A, B.") == "DB2 program; called by A, B"
    assert clause("A program that posts.") == "a program that posts"
    assert clause("IMS/DC transaction.") == "IMS/DC transaction"
    assert clause("") == ""


def test_conditions_of_cics_tests_in_words():
    assert condition_words("EIBAID = DFHPA1 OR DFHPA2 OR DFHPA3") == \
        "the user presses PA1, PA2 or PA3"
    assert condition_words("NOT (EIBAID = DFHCLEAR) AND NOT (EIBAID = DFHPF3)") == \
        "the user presses a key other than Clear or PF3"
    assert condition_words("EIBCALEN NOT = ZERO") == \
        "the program is entered again, with its COMMAREA"
    assert condition_words("WS-RESP = DFHRESP ( NORMAL )") == \
        "the CICS response in WS-RESP is NORMAL (the command succeeded)"
    assert condition_words("NOT (WS-RESP = DFHRESP ( NORMAL )) AND NOT (WS-RESP = DFHRESP "
                           "( NOTFND ))") == ("the CICS response in WS-RESP is not NORMAL (the "
                                              "command succeeded) or NOTFND (the record was "
                                              "not found)")
    assert condition_words("WS-RESP NOT = DFHRESP(NORMAL)") == \
        "the CICS response in WS-RESP is not NORMAL (the command succeeded)"
    # anything else keeps its COBOL text
    assert condition_words("EIBCALEN = 0 AND WS-X > 1") is None
    assert condition_words("EIBAID = WS-KEY") is None
    rule = Rule(id="rule:P/A/1", title="t", paragraph="A", condition="WS-X > 1", action="a")
    assert criterion_of(rule).given == "the condition WS-X > 1 holds"


def adf_text(node) -> str:
    if isinstance(node, dict):
        return node.get("text", "") + "\n".join(adf_text(c) for c in node.get("content", []))
    return ""


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check_jira(backlog: Backlog, out: Path) -> dict[str, int]:
    """Export ``backlog`` both ways and check what every estate must hold; the counts of
    issues by type, without and with sub-tasks."""
    plain = export_jira(backlog, out / "default")
    rows = read_csv(plain.csv_path)
    assert plain.subtasks == 0 and all(r["Issue Type"] != SUBTASK for r in rows)
    bodies = [json.loads(p.read_text()) for p in plain.bulk_paths]
    entries = {e["properties"][0]["value"]["id"]: e["fields"] for b in bodies
               for e in b["issueUpdates"]}
    assert all(f["issuetype"]["name"] != SUBTASK for f in entries.values())
    by_id = {r["Modernize ID"]: r for r in rows}
    stories = {k: f for k, f in entries.items() if f["issuetype"]["name"] == "Story"}
    for story in backlog.stories:
        row, fields = by_id[story.id], stories[story.id]
        description = adf_text(fields["description"])
        field = adf_text(fields.get("customfield_10020"))  # set when there are criteria
        assert len(row["Description"]) <= TEXT_LIMIT
        for criterion in story.criteria:  # every criterion of every story, in full
            for text in (row["Description"], row["Acceptance Criteria"], description, field):
                assert criterion.id in text and criterion.gherkin in text, criterion.id

    with_tasks = export_jira(backlog, out / "subtasks", subtasks=True)
    tasks = [r for r in read_csv(with_tasks.csv_path) if r["Issue Type"] == SUBTASK]
    tests = [t for s in backlog.stories for t in s.tests]
    assert sorted(r["Modernize ID"] for r in tasks) == sorted(t.id for t in tests)
    assert with_tasks.subtasks == len(tests)
    return {"epics": plain.epics, "stories": plain.stories, "sub-tasks": plain.subtasks,
            "sub-tasks with --subtasks": with_tasks.subtasks}


def test_jira_on_the_shop_estate(shop, tmp_path):
    _, artifacts = shop
    counts = check_jira(artifacts.backlog, tmp_path)
    assert counts == {"epics": 2, "stories": 3, "sub-tasks": 0,
                      "sub-tasks with --subtasks": sum(len(s.tests)
                                                       for s in artifacts.backlog.stories)}


# --- what every estate's backlog must hold ----------------------------------------------------


_LISTS = (r"^Prepare (.*?) so that ", r"what is written to (.*) against",
          r"^Fill in (.*) and send", r"shows (.*) with the values", r"^Show (.*)$")


def listed_names(step: str) -> list[str]:
    """The names a test step lists: the files, tables and screens it prepares, shows or
    compares (a screen as its map; "(mapset …)" says which mapset, it lists nothing)."""
    head, cut, _ = step.partition(" so that ")
    step = re.sub(r" \(mapset [^)]*\)", "", head + cut)
    segments = re.findall(r"\(([^()]*)\)", step)
    step = re.sub(r"\([^()]*\)", "", step)
    segments += [m.group(1) for pattern in _LISTS for m in [re.search(pattern, step)] if m]
    names = [name.strip().removeprefix("screen ") for segment in segments
             for name in re.split(r",\s*|\s+and\s+|\s+or\s+", segment)]
    return [name for name in names if re.fullmatch(r"[A-Z][A-Z0-9@#$-]*", name)]


def test_listed_names_finds_repeats():
    assert listed_names("Compare the output (RPTOUT, RPTOUT) with the expected result") == [
        "RPTOUT", "RPTOUT"]
    assert listed_names("Prepare screen M (mapset M) and ACCTMST so that the user presses PF3"
                        ) == ["M", "ACCTMST"]
    assert listed_names("Compare ACCTMAP, ACCTMAP with the expected result") == []
    assert listed_names("Check what screen M shows and what is written to F, F against the "
                        "expected result") == ["F", "F"]


def check_backlog(estate, artifacts) -> None:
    programs = {p.id.split(":", 1)[1]: p for p in estate.programs}
    for story in artifacts.backlog.stories:
        key = story.id.removeprefix("story:")
        program = programs[key]
        assert not re.search(r": [a-z][A-Z]", story.i_want), story.i_want  # no "cICS"
        if program.kind == "online":
            assert "CICS online program" in story.i_want, story.i_want
        shown = screens(program)
        if shown:
            ids = [c.id for c in story.criteria]
            for screen in shown:  # every map a program sends or receives is a screen
                assert f"criterion:{key}/screen:{screen.map}" in ids
                assert not any(CICS_NAME.fullmatch(f) for f in (*screen.inputs,
                                                                 *screen.outputs))
        for test in story.tests:
            for step in test.steps:
                names = listed_names(step)
                assert len(names) == len(set(names)), (test.id, step, names)
            declared = {d.name for d in program.data_items}  # DFHCOMMAREA is the program's
            for names in re.findall(r"Values of (.*?) that make", test.data):
                found = set(CICS_NAME.findall(names)) - declared
                assert not found, (test.id, test.data)


def test_the_samples_backlog_and_jira(samples, tmp_path):
    estate, artifacts = samples
    check_backlog(estate, artifacts)
    story = story_of(artifacts, "ACCTINQ")
    screen = story.criteria[0]
    assert screen.given == "the user is on screen ACCTMAP (mapset ACCTSET)"
    assert screen.when == "the user fills in ACCTNO and sends the screen"
    assert screen.then.startswith("the screen shows ACCTNO, NAME, STAT, PROD, LIMIT, BAL, "
                                  "AVAIL, LSTMT, DAYS and MSG")
    check_jira(artifacts.backlog, tmp_path)


@pytest.mark.parametrize("name", ["cbsa", "genapp"])
def test_the_public_cics_estates(name, request, tmp_path):
    estate, artifacts = request.getfixturevalue(name)
    check_backlog(estate, artifacts)
    online = [p for p in estate.programs if screens(p)]
    assert online  # both are CICS estates with BMS maps
    counts = check_jira(artifacts.backlog, tmp_path)
    assert counts["sub-tasks"] == 0
    assert counts["sub-tasks with --subtasks"] == sum(len(s.tests)
                                                      for s in artifacts.backlog.stories)


def test_export_jira_on_the_command_line_makes_sub_tasks_only_when_asked(shop, tmp_path):
    from click.testing import CliRunner

    from modernize.cli import main
    from modernize.documents.factory import write

    estate, artifacts = shop
    write(artifacts, estate, tmp_path / "docs")
    tests = sum(len(s.tests) for s in artifacts.backlog.stories)
    runner = CliRunner()
    plain = runner.invoke(main, ["export", "jira", str(tmp_path / "docs"), "--out",
                                 str(tmp_path / "jira")])
    assert plain.exit_code == 0, plain.output
    assert plain.output.startswith("2 epics, 3 stories, 0 sub-tasks: 5 to create")
    types = {r["Issue Type"] for r in read_csv(tmp_path / "jira/jira-import.csv")}
    assert types == {"Epic", "Story"}
    (tmp_path / "jira/jira-map.json").write_text(json.dumps(
        {"story:CUSTINQ": "MOD-1", artifacts.backlog.stories[0].tests[0].id: "MOD-2"}))
    tasks = runner.invoke(main, ["export", "jira", str(tmp_path / "docs"), "--out",
                                 str(tmp_path / "jira"), "--subtasks", "--criteria-field", ""])
    assert tasks.exit_code == 0, tasks.output
    assert f"2 epics, 3 stories, {tests} sub-tasks: {tests + 5 - 2} to create, 2 to update" \
        in tasks.output
    again = runner.invoke(main, ["export", "jira", str(tmp_path / "docs"), "--out",
                                 str(tmp_path / "jira")])
    assert "1 test case(s) already sub-tasks in Jira were left alone" in again.output


def test_test_data_names_what_to_prepare_for_each_kind_of_condition(shop):
    estate, artifacts = shop
    spec = next(s for s in artifacts.specs if s.program == "cobol:BATCHUPD")
    para = estate.program("BATCHUPD").paragraph("2000-POST")
    cited = (Citation(id=para.id, file=para.file, line=para.line),)
    conditions = {
        "AT END of TRAN-FILE": "No record left to read in file TRAN-FILE (TRANIN) for the "
                               "first run, and a record left to read for the second",
        "NOT AT END of TRAN-FILE": "A record left to read for the first run, and no record left "
                                   "to read in file TRAN-FILE (TRANIN) for the second",
        "INVALID KEY on READ TRAN-FILE": "A key the READ on file TRAN-FILE (TRANIN) refuses for "
                                         "the first run, and a key it takes for the second",
        "ON SIZE ERROR of ADD TRAN-AMT TO WS-TOTAL": "Values whose result does not fit the "
        "receiving field for the first run, and values that fit for the second. Values of "
        "TRAN-AMT and WS-TOTAL that make the condition true, and a second set that makes it false",
        "WS-TOTAL = X'00' AND FUNCTION UPPER-CASE(TRAN-ID) = 'AB' AND WS-BIG > ZERO":
            "Values of WS-TOTAL, TRAN-ID and WS-BIG that make the condition true, and a second "
            "set that makes it false",
    }
    rules = tuple(Rule(id=f"rule:BATCHUPD/2000-POST/{n}", title="t", paragraph=para.key,
                       condition=condition, action="a", citations=cited)
                  for n, condition in enumerate(conditions, 90))
    made = backlog(estate, [spec.model_copy(update={"rules": rules})]).stories[0]
    assert [t.data for t in made.tests] == list(conditions.values())


def test_twin_map_names_get_their_mapset_in_the_id():
    from modernize.documents.backlog import Screen

    one = Screen(map="M", mapset="A", inputs=(), outputs=(), unused=(), fields_from="",
                 missing_copybooks=(), citations=())
    two = one.__class__(**{**one.__dict__, "mapset": "B"})
    other = one.__class__(**{**one.__dict__, "map": "N"})
    assert [s.key([one, two, other]) for s in (one, two, other)] == ["A.M", "B.M", "N"]


@pytest.mark.parametrize("name", ["cbsa", "genapp"])
def test_on_a_practice_estate_stories_name_real_elements_and_rules_keep_their_branch(
        name, tmp_path_factory):
    """Issue 11's checks on an estate nobody here wrote: every story (its statement, criteria
    and test cases) names only elements that exist where it cites, and every rule's actions lie
    inside its own branch (the citation check marks a rule otherwise)."""
    from modernize.documents.grounding import Grounding

    estate, artifacts = real_estate(name, tmp_path_factory)
    grounding = Grounding(estate)
    for story in artifacts.backlog.stories:  # each item against what it cites
        assert grounding.problems([story.title, story.statement], story.citations) == [], \
            story.id
        for criterion in story.criteria:
            assert grounding.problems([criterion.gherkin], criterion.citations) == [], \
                criterion.id
        for test in story.tests:
            assert grounding.problems([test.title, *test.steps, test.data, test.expected],
                                      test.citations) == [], test.id
        assert story.verified, (story.id, story.unverified_reason)
    rules = [r for spec in artifacts.specs for r in (*spec.rules, *spec.error_handling)]
    assert len(rules) > 100
    assert all(r.verified for r in rules), [(r.id, r.unverified_reason) for r in rules
                                            if not r.verified][:5]
    assert all(r.decision_line is not None and r.actions is not None for r in rules)

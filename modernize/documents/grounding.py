"""Model text is grounded: every COBOL name it mentions must exist where the item cites.

A model writes free text (a program's purpose, a rule's title, condition and action, a story's
statement, a criterion's Given/When/Then, a test's steps, data and expected result). The
citation check (``citations.py``) proves that what an item cites exists; this module proves
that what its words name exists *there*. ``cobol_names`` finds the names in the text;
``Grounding(estate).problems(texts, citations)`` says which of them are not in what the item
cites: a name in no part of the estate ("not in the model"), or one that exists elsewhere (a
data item of another program, a paragraph the cited paragraph never uses).

What counts as a COBOL name in free text (``cobol_names``):

- a word of letters, digits and hyphens (a run of two or more hyphens is a dash, not part of
  a word; dots, slashes, colons and the like separate words, so ``ACCTREC.cpy``,
  ``HFCS.DAILY.TRANS`` and ``cobol:POSTTRAN/para:2000-POST`` give their parts);
- with at least one letter, and every letter upper-case: COBOL names are written in capitals
  and prose is not, so ``end-of-file`` and ``Batch`` are English and ``WS-EOF`` is a name;
- with a hyphen, or at least three characters long (``ID``, ``A1`` are too short to tell);
- not inside a quoted literal (``'OVER LIMIT'``, ``"00"``, typographic quotes too; an
  apostrophe inside a word, ``POSTTRAN's``, opens no literal), not a PICTURE string
  (``PIC S9(7)V99``, ``X(10)``, ``9V99``), not a word holding an underscore (an SQL or host
  name, which no COBOL-85 name is);
- not a COBOL reserved word, intrinsic function or special register (GnuCOBOL 3.1's list,
  which covers IBM's: ``MOVE``, ``HIGH-VALUES``, ``RETURN-CODE``, ``CURRENT-DATE``), not an SQL,
  JCL or CICS keyword (``SELECT``, ``DISP``, ``NOTFND``), not an IBM-supplied name (``DFH…``,
  ``EIB…``, ``SQL…``: ``DFHRESP``, ``EIBCALEN``, ``SQLCODE``), not an ordinary English word or
  acronym written in capitals (``MUST``, ``CICS``, ``VSAM``) nor a hyphenated word made only of
  such words (``END-OF-FILE``, ``24-HOUR``) — unless, for an English word, some element of
  the estate has that very name (a data item called ``TOTAL``, a job called ``NIGHTLY``): then
  it is a name and is checked like any other. A reserved word is never a program's name.

Where a name may stand (``Grounding``), for an item citing:

- anything: the programs of the estate (PROGRAM-IDs and ENTRY names) and the programs JCL
  steps run (``IDCAMS``), since documents speak of callers and callees;
- an element of program P (P itself, one of its paragraphs, data items or files): P's files
  (SELECT names, DD names, ASSIGN targets), copybooks, call targets, CICS maps, mapsets,
  transactions and datasets, SQL tables and cursors, and the JCL jobs, steps, DD names and
  dataset-name qualifiers of the steps that run P;
- P itself: every paragraph, section and data item of P;
- a paragraph or section: the words of its statements (what it moves, tests, performs, calls,
  reads and writes; a section's paragraphs included), its own name, and the records, groups
  and level-88 conditions of the data items it uses;
- a data item: the item, the groups and record above it and the items below it;
- a file: its names, its records and their items.

Names are compared in capitals. Model text is hostile: the names and reasons returned here are
the model's words and are written through ``escape.py`` like any other text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from ..core.model import DataItem, Estate, Paragraph, Program, Section, Statement
from .artifacts import Citation

log = logging.getLogger(__name__)

MAX_NAMES_REPORTED = 10
"""Names listed in one reason; more are counted ("and 3 more")."""


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


COBOL_WORDS = _set("""
    3-D ABS ABSENT ACCEPT ACCESS ACOS ACTION ACTIVE-CLASS ACTIVE-X ACTUAL ADD ADDRESS
    ADJUSTABLE-COLUMNS ADVANCING AFTER ALIGNED ALIGNMENT ALL ALLOCATE ALLOWING ALPHABET ALPHABETIC
    ALPHABETIC-LOWER ALPHABETIC-UPPER ALPHANUMERIC ALPHANUMERIC-EDITED ALSO ALTER ALTERNATE AND
    ANNUITY ANY ANYCASE APPLY ARE AREA AREAS ARGUMENT-NUMBER ARGUMENT-VALUE ARITHMETIC AS ASCENDING
    ASCII ASIN ASSIGN AT ATAN ATTRIBUTE ATTRIBUTES AUTHOR AUTO AUTO-DECIMAL AUTO-SKIP AUTO-SPIN
    AUTOMATIC AUTOTERMINATE AWAY-FROM-ZERO B-AND B-NOT B-OR B-XOR BACKGROUND-COLOR
    BACKGROUND-COLOUR BACKGROUND-HIGH BACKGROUND-LOW BACKGROUND-STANDARD BAR BASED BASIS BEEP
    BEFORE BELL BINARY BINARY-C-LONG BINARY-CHAR BINARY-DOUBLE BINARY-INT BINARY-LONG
    BINARY-LONG-LONG BINARY-SEQUENTIAL BINARY-SHORT BIT BITMAP BITMAP-END BITMAP-HANDLE
    BITMAP-NUMBER BITMAP-START BITMAP-TIMER BITMAP-TRAILING BITMAP-TRANSPARENT-COLOR BITMAP-WIDTH
    BLANK BLINK BLOCK BOOLEAN BOOLEAN-OF-INTEGER BOTTOM BOX BOXED BULK-ADDITION BUSY BUTTONS BY
    BYTE-LENGTH C CALENDAR-FONT CALL CANCEL CANCEL-BUTTON CAPACITY CARD-PUNCH CARD-READER CASSETTE
    CBL CCOL CD CELL CELL-COLOR CELL-DATA CELL-FONT CELL-PROTECTION CELLS CENTER CENTERED
    CENTERED-HEADINGS CENTURY-DATE CF CH CHAIN CHAINING CHANGED CHAR CHAR-NATIONAL CHARACTER
    CHARACTERS CHECK-BOX CLASS CLASS-ID CLASSIFICATION CLEAR-SELECTION CLINE CLINES CLOSE
    COB-CRT-STATUS COBOL CODE CODE-SET COL COLLATING COLOR COLORS COLOURS COLS COLUMN COLUMN-COLOR
    COLUMN-DIVIDERS COLUMN-FONT COLUMN-HEADINGS COLUMN-PROTECTION COLUMNS COMBINED-DATETIME
    COMBO-BOX COMMA COMMAND-LINE COMMIT COMMON COMMUNICATION COMP COMP-0 COMP-1 COMP-2 COMP-3
    COMP-4 COMP-5 COMP-6 COMP-N COMP-X COMPUTATIONAL COMPUTATIONAL-0 COMPUTATIONAL-1
    COMPUTATIONAL-2 COMPUTATIONAL-3 COMPUTATIONAL-4 COMPUTATIONAL-5 COMPUTATIONAL-6 COMPUTATIONAL-N
    COMPUTATIONAL-X COMPUTE CONCAT CONCATENATE CONDITION CONFIGURATION CONSTANT CONTAINS CONTENT
    CONTENT-LENGTH CONTENT-OF CONTINUE CONTROL CONTROLS CONVERSION CONVERTING COPY COPY-SELECTION
    CORE-INDEX CORR CORRESPONDING COS COUNT CRT CRT-UNDER CSIZE CURRENCY CURRENCY-SYMBOL
    CURRENT-DATE CURSOR CURSOR-COL CURSOR-COLOR CURSOR-FRAME-WIDTH CURSOR-ROW CURSOR-X CURSOR-Y
    CUSTOM-PRINT-TEMPLATE CYCLE CYL-INDEX CYL-OVERFLOW DASHED DATA DATA-COLUMNS DATA-POINTER
    DATA-TYPES DATE DATE-COMPILED DATE-ENTRY DATE-MODIFIED DATE-OF-INTEGER DATE-TO-YYYYMMDD
    DATE-WRITTEN DAY DAY-OF-INTEGER DAY-OF-WEEK DAY-TO-YYYYDDD DBCS DE DEBUG-ITEM DEBUGGING
    DECIMAL-POINT DECLARATIVES DEFAULT DEFAULT-BUTTON DEFAULT-FONT DELETE DELIMITED DELIMITER
    DEPENDING DESCENDING DESTINATION DESTROY DETAIL DISABLE DISC DISK DISP DISPLAY DISPLAY-1
    DISPLAY-COLUMNS DISPLAY-FORMAT DISPLAY-OF DIVIDE DIVIDER-COLOR DIVIDERS DIVISION DOTDASH DOTTED
    DOUBLE DOWN DRAG-COLOR DROP-DOWN DROP-LIST DUPLICATES DYNAMIC E EBCDIC EC ECHO EGCS EGI EJECT
    ELEMENT ELSE EMI EMPTY-CHECK ENABLE ENCODING ENCRYPTION END END-ACCEPT END-ADD END-CALL
    END-CHAIN END-COLOR END-COMPUTE END-DELETE END-DISPLAY END-DIVIDE END-EVALUATE END-IF END-JSON
    END-MODIFY END-MULTIPLY END-OF-PAGE END-PERFORM END-READ END-RECEIVE END-RETURN END-REWRITE
    END-SEARCH END-START END-STRING END-SUBTRACT END-UNSTRING END-WRITE END-XML ENGRAVED
    ENSURE-VISIBLE ENTRY ENTRY-CONVENTION ENTRY-FIELD ENTRY-REASON ENVIRONMENT ENVIRONMENT-NAME
    ENVIRONMENT-VALUE EO EOL EOP EOS EQUAL EQUALS ERASE ERROR ESCAPE ESCAPE-BUTTON ESI EVALUATE
    EVENT EVENT-LIST EVERY EXCEPTION EXCEPTION-FILE EXCEPTION-FILE-N EXCEPTION-LOCATION
    EXCEPTION-LOCATION-N EXCEPTION-OBJECT EXCEPTION-STATEMENT EXCEPTION-STATUS EXCEPTION-VALUE
    EXCLUSIVE EXHIBIT EXIT EXP EXP10 EXPAND EXPANDS EXTEND EXTENDED-SEARCH EXTERN EXTERNAL
    EXTERNAL-FORM F FACTORIAL FACTORY FALSE FD FH--FCD FH--KEYDEF FILE FILE-CONTROL FILE-ID
    FILE-LIMIT FILE-LIMITS FILE-NAME FILE-POS FILL-COLOR FILL-COLOR2 FILL-PERCENT FILLER FINAL
    FINISH-REASON FIRST FIXED FIXED-FONT FIXED-WIDTH FLAT FLAT-BUTTONS FLOAT FLOAT-BINARY-128
    FLOAT-BINARY-32 FLOAT-BINARY-64 FLOAT-DECIMAL-16 FLOAT-DECIMAL-34 FLOAT-EXTENDED FLOAT-INFINITY
    FLOAT-LONG FLOAT-NOT-A-NUMBER FLOAT-SHORT FLOATING FONT FOOTING FOR FOREGROUND-COLOR
    FOREGROUND-COLOUR FOREVER FORMAT FORMATTED-CURRENT-DATE FORMATTED-DATE FORMATTED-DATETIME
    FORMATTED-TIME FRACTION-PART FRAME FRAMED FREE FROM FULL FULL-HEIGHT FUNCTION FUNCTION-ID
    FUNCTION-POINTER GENERATE GET GIVING GLOBAL GO GO-BACK GO-FORWARD GO-HOME GO-SEARCH GOBACK
    GRAPHICAL GREATER GRID GROUP GROUP-USAGE GROUP-VALUE HANDLE HAS-CHILDREN HEADING HEADING-COLOR
    HEADING-DIVIDER-COLOR HEADING-FONT HEAVY HEIGHT-IN-CELLS HIDDEN-DATA HIGH-COLOR HIGH-VALUE
    HIGH-VALUES HIGHEST-ALGEBRAIC HIGHLIGHT HOT-TRACK HSCROLL HSCROLL-POS I-O I-O-CONTROL ICON ID
    IDENTIFICATION IDENTIFIED IF IGNORE IGNORING IMPLEMENTS IN INDEPENDENT INDEX INDEXED INDICATE
    INHERITS INITIAL INITIALISE INITIALISED INITIALIZE INITIALIZED INITIATE INPUT INPUT-OUTPUT
    INQUIRE INSERT INSERT-ROWS INSERTION-INDEX INSPECT INSTALLATION INTEGER INTEGER-OF-BOOLEAN
    INTEGER-OF-DATE INTEGER-OF-DAY INTEGER-OF-FORMATTED-DATE INTEGER-PART INTERFACE INTERFACE-ID
    INTERMEDIATE INTO INTRINSIC INVALID INVOKE IS ITEM ITEM-TEXT ITEM-TO-ADD ITEM-TO-DELETE
    ITEM-TO-EMPTY ITEM-VALUE JNIENVPTR JSON JSON-CODE JSON-STATUS JUST JUSTIFIED KANJI KEPT KEY
    KEYBOARD LABEL LABEL-OFFSET LARGE-FONT LARGE-OFFSET LAST LAST-ROW LAYOUT-DATA LAYOUT-MANAGER
    LEADING LEADING-SHIFT LEAVE LEFT LEFT-JUSTIFY LEFT-TEXT LEFTLINE LENGTH LENGTH-AN LENGTH-CHECK
    LESS LIKE LIMIT LIMITS LINAGE LINAGE-COUNTER LINE LINE-COUNTER LINE-SEQUENTIAL LINES
    LINES-AT-ROOT LINKAGE LIST-BOX LM-RESIZE LOC LOCAL-STORAGE LOCALE LOCALE-COMPARE LOCALE-DATE
    LOCALE-TIME LOCALE-TIME-FROM-SECONDS LOCK LOCK-HOLDING LOG LOG10 LONG-DATE LOW-COLOR LOW-VALUE
    LOW-VALUES LOWER LOWER-CASE LOWERED LOWEST-ALGEBRAIC LOWLIGHT MAGNETIC-TAPE MANUAL MASS-UPDATE
    MASTER-INDEX MAX MAX-LINES MAX-PROGRESS MAX-TEXT MAX-VAL MEAN MEDIAN MEDIUM-FONT MEMORY MENU
    MERGE MESSAGE METHOD METHOD-ID MIDRANGE MIN MIN-VAL MINUS MOD MODE MODIFY MODULE-CALLER-ID
    MODULE-DATE MODULE-FORMATTED-DATE MODULE-ID MODULE-PATH MODULE-SOURCE MODULE-TIME MODULES
    MONETARY-DECIMAL-POINT MONETARY-THOUSANDS-SEPARATOR MOVE MULTILINE MULTIPLE MULTIPLY NAME NAMED
    NAMESPACE NAMESPACE-PREFIX NATIONAL NATIONAL-EDITED NATIONAL-OF NATIVE NAVIGATE-URL
    NEAREST-AWAY-FROM-ZERO NEAREST-EVEN NEAREST-TOWARD-ZERO NEGATIVE NESTED NEW NEXT NEXT-ITEM NO
    NO-AUTO-DEFAULT NO-AUTOSEL NO-BOX NO-DIVIDERS NO-ECHO NO-F4 NO-FOCUS NO-GROUP-TAB NO-KEY-LETTER
    NO-SEARCH NO-UPDOWN NOMINAL NONE NONNUMERIC NORMAL NOT NOTAB NOTHING NOTIFY NOTIFY-CHANGE
    NOTIFY-DBLCLICK NOTIFY-SELCHANGE NULL NULLS NUM-COL-HEADINGS NUM-ROWS NUMBER
    NUMBER-OF-CALL-PARAMETERS NUMBERS NUMERIC NUMERIC-DECIMAL-POINT NUMERIC-EDITED
    NUMERIC-THOUSANDS-SEPARATOR NUMVAL NUMVAL-C NUMVAL-F OBJECT OBJECT-COMPUTER OBJECT-REFERENCE
    OCCURS OF OFF OK-BUTTON OMITTED ON ONLY OPEN OPTIONAL OPTIONS OR ORD ORD-MAX ORD-MIN ORDER
    ORGANISATION ORGANIZATION OTHER OTHERS OUTPUT OVERFLOW OVERLAP-LEFT OVERLAP-TOP OVERLINE
    OVERRIDE PACKED-DECIMAL PADDING PAGE PAGE-COUNTER PAGE-SETUP PAGED PARAGRAPH PARENT PARSE
    PASCAL PASSWORD PERFORM PERMANENT PF PH PHYSICAL PI PIC PICTURE PIXEL PIXELS PLACEMENT PLUS
    POINTER POP-UP POS POSITION POSITION-SHIFT POSITIVE PREFIXED PRESENT PRESENT-VALUE PREVIOUS
    PRINT PRINT-NO-PROMPT PRINT-PREVIEW PRINTER PRINTER-1 PRINTING PRIORITY PROCEDURE
    PROCEDURE-POINTER PROCEDURES PROCEED PROCESS PROCESSING PROGRAM PROGRAM-ID PROGRAM-POINTER
    PROGRESS PROHIBITED PROMPT PROPERTIES PROPERTY PROTECTED PROTOTYPE PURGE PUSH-BUTTON
    QUERY-INDEX QUEUE QUOTE QUOTES RADIO-BUTTON RAISE RAISED RAISING RANDOM RANGE RD READ READ-ONLY
    READERS READY RECEIVE RECORD RECORD-DATA RECORD-OVERFLOW RECORD-TO-ADD RECORD-TO-DELETE
    RECORDING RECORDS RECURSIVE REDEFINES REEL REFERENCE REFERENCES REFRESH REGION-COLOR RELATION
    RELATIVE RELEASE REM REMAINDER REMARKS REMOVAL RENAMES REORG-CRITERIA REPLACE REPLACING REPORT
    REPORTING REPORTS REPOSITORY REQUIRED REREAD RERUN RESERVE RESET RESET-GRID RESET-LIST
    RESET-TABS RESUME RETRY RETURN RETURN-CODE RETURNING REVERSE REVERSE-VIDEO REVERSED REWIND
    REWRITE RF RH RIGHT RIGHT-ALIGN RIGHT-JUSTIFY RIMMED ROLLBACK ROUNDED ROUNDING ROW-COLOR
    ROW-COLOR-PATTERN ROW-DIVIDERS ROW-FONT ROW-HEADINGS ROW-PROTECTION RUN S SAME SAVE-AS
    SAVE-AS-NO-PROMPT SCREEN SCROLL SCROLL-BAR SD SEARCH SEARCH-OPTIONS SEARCH-TEXT SECONDS
    SECONDS-FROM-FORMATTED-TIME SECONDS-PAST-MIDNIGHT SECTION SECURE SECURITY SEGMENT SEGMENT-LIMIT
    SELECT SELECT-ALL SELECTION-INDEX SELECTION-TEXT SELF SELF-ACT SEND SENTENCE SEPARATE
    SEPARATION SEQUENCE SEQUENTIAL SERVICE SET SHADING SHADOW SHARING SHIFT-IN SHIFT-OUT SHORT-DATE
    SHOW-LINES SHOW-NONE SHOW-SEL-ALWAYS SIGN SIGNED SIGNED-INT SIGNED-LONG SIGNED-SHORT SIN SIZE
    SKIP1 SKIP2 SKIP3 SMALL-FONT SORT SORT-CONTROL SORT-CORE-SIZE SORT-FILE-SIZE SORT-MERGE
    SORT-MESSAGE SORT-MODE-SIZE SORT-ORDER SORT-RETURN SOURCE SOURCE-COMPUTER SOURCES SPACE
    SPACE-FILL SPACES SPECIAL-NAMES SPINNER SQLIMS SQRT SQUARE STANDARD STANDARD-1 STANDARD-2
    STANDARD-BINARY STANDARD-COMPARE STANDARD-DECIMAL STANDARD-DEVIATION START START-X START-Y
    STATEMENT STATIC STATIC-LIST STATUS STATUS-BAR STATUS-TEXT STDCALL STEP STOP STORED-CHAR-LENGTH
    STRING STRONG STYLE SUB-QUEUE-1 SUB-QUEUE-2 SUB-QUEUE-3 SUBSTITUTE SUBSTITUTE-CASE SUBTRACT
    SUBWINDOW SUM SUPER SUPPRESS SYMBOL SYMBOLIC SYNC SYNCHRONISED SYNCHRONIZED SYSTEM-DEFAULT
    SYSTEM-INFO SYSTEM-OFFSET TAB TAB-TO-ADD TAB-TO-DELETE TABLE TALLY TALLYING TAN TAPE TEMPORARY
    TERMINAL-INFO TERMINATE TERMINATION-VALUE TEST TEST-DATE-YYYYMMDD TEST-DAY-YYYYDDD
    TEST-FORMATTED-DATETIME TEST-NUMVAL TEST-NUMVAL-C TEST-NUMVAL-F TEXT THAN THEN THREAD THREADS
    THROUGH THRU THUMB-POSITION TILED-HEADINGS TIME TIME-OUT TIMEOUT TIMES TITLE TITLE-POSITION TO
    TOP TOWARD-GREATER TOWARD-LESSER TRACE TRACK TRACK-AREA TRACK-LIMIT TRACKS TRADITIONAL-FONT
    TRAILING TRAILING-SHIFT TRAILING-SIGN TRANSFORM TRANSPARENT TREE-VIEW TRIM TRUE TRUNCATION TYPE
    TYPEDEF U UCS-4 UNBOUNDED UNDERLINE UNFRAMED UNIT UNIVERSAL UNLOCK UNSIGNED UNSIGNED-INT
    UNSIGNED-LONG UNSIGNED-SHORT UNSORTED UNSTRING UNTIL UP UPDATE UPDATERS UPON UPPER UPPER-CASE
    USAGE USE USE-ALT USE-RETURN USE-TAB USER USER-DEFAULT USING UTF-16 UTF-8 V VAL-STATUS VALID
    VALIDATE VALIDATE-STATUS VALIDATING VALUE VALUE-FORMAT VALUES VARIABLE VARIANCE VARIANT VARYING
    VERTICAL VERY-HEAVY VIRTUAL-WIDTH VOLATILE VPADDING VSCROLL VSCROLL-BAR VSCROLL-POS VTOP WAIT
    WEB-BROWSER WHEN WHEN-COMPILED WIDTH WIDTH-IN-CELLS WINDOW WITH WORDS WORKING-STORAGE WRAP
    WRITE WRITE-ONLY WRITE-VERIFY WRITERS X XML XML-CODE XML-DECLARATION XML-EVENT XML-INFORMATION
    XML-NAMESPACE XML-NAMESPACE-PREFIX XML-NNAMESPACE XML-NNAMESPACE-PREFIX XML-NTEXT XML-TEXT Y
    YEAR-TO-YYYY YYYYDDD YYYYMMDD ZERO ZERO-FILL ZEROES ZEROS
""")
"""COBOL reserved words, intrinsic functions and special registers: GnuCOBOL 3.1's lists
(``cobc --list-reserved``, ``--list-intrinsics``, ``--list-registers``), with the IBM
Enterprise COBOL words it lacks."""

KEYWORDS = _set("""
ABSTIME ALARM ASKIP ASKTIME ASSIGN ATTRB AUXILIARY AVG BETWEEN BIGINT BLKSIZE BRT CASE CAST
CATLG CHAR COALESCE COLUMN COMMAREA COMMIT COND CONSTRAINT COUNT CURSOR CYL DATAONLY DATASEP
DATASET DCB DECIMAL DELETEQ DISABLED DISP DISTINCT DLM DRK DSN DSNAME DSORG DUMMY DUPKEY DUPREC
ENDBR ENDFILE ENDIF EOC EODS EQUAL ERASE EXEC EXISTS FETCH FOREIGN FORMATTIME FRSET FREEKB
GENERIC GTEQ HANDLE HAVING HOLD ILLOGIC INNER INTEGER INVREQ IOERR ITEMERR JCLLIB JOBLIB JOIN
KEYLENGTH LENGERR LRECL MAPFAIL MAPONLY MAPSET MAX MSGCLASS MSGLEVEL NOHANDLE NORM NOTFND
NOTIFY NOTOPEN NULLS NUM OUTER PASS PEND PGM PGMIDERR PICIN PICOUT PRIMARY PROC PROT QIDERR
QUEUE READNEXT READPREV READQ RECFM REGION RESETBR RESP RESP2 RETRIEVE RIDFLD RLSE ROLLBACK
ROWS SELECT SEND SHR SMALLINT SQLERROR SQLWARNING STARTBR STEPLIB SUM SYNCPOINT SYSABEND
SYSDUMP SYSIN SYSOUT SYSPRINT SYSTSIN SYSTSPRT SYSUDUMP TIMESEP TIMESTAMP TRANSID TRK TYPRUN
UNCATLG UNIT UNPROT VALUES VARCHAR VIEW VOL WHENEVER WHERE WRITEQ XCTL YYYYMMDD MMDDYYYY
DDMMYYYY YYMMDD CCYYMMDD HHMMSS
""") | {f"PF{n}" for n in range(1, 25)} | {"PA1", "PA2", "PA3"}
"""SQL, JCL, CICS and BMS keywords, CICS conditions and the 3270 attention keys (PF1-PF24,
PA1-PA3) that are no COBOL reserved word."""

ENGLISH = _set("""
ABOUT ABOVE ACCORDING ACCOUNT ACCOUNTS ACROSS ACTIVE ACTUALLY ADDED AGAIN AGAINST AGGREGATE
ALREADY ALWAYS AMOUNT AMOUNTS ANOTHER ANSWER APPLIED APPLY ARE ASSUMED ATTENTION AVAILABLE
AWAY BACK BAD BALANCE BALANCES BASED BATCH BECAUSE BEEN BEFORE BEING BELOW BETTER BOTH BRANCH
BUSINESS BUT CALLED CALLER CALLS CAN CANNOT CARD CARDS CASES CHANGE CHANGED CHANGES CHECK
CHECKED CHECKS CLOSED CREDIT CREDITS CRITICAL CUSTOMER CUSTOMERS CYCLE DAILY DATA DATES DAY
DAYS DEBIT DEBITS DEFAULT DEFAULTS DID DOES DONE DON DUE DURING EACH EITHER EMPTY ENDS ENSURE
ENTRIES ENTRY ERRORS EVEN EVENT EVENTS EVER EVERY EXACTLY EXAMPLE EXCEPT EXISTING EXPECTED
FAIL FAILED FAILS FAILURE FALSE FEE FEES FEW FIELD FIELDS FILES FIXED FLAG FLAGGED FOUND FROZEN
GET GETS GIVEN GOOD HAS HAD HAVE HERE HIGH HOW IMPORTANT INCORRECT INPUTS INTEREST INVALID ITS
JUST KEPT KEYS LATER LESS LIKE LOW MADE MAKE MANY MASTER MATCH MATCHED MATCHING MAY MIGHT MONTH
MONTHLY MORE MOST MUCH MUST NEEDED NEEDS NEITHER NEVER NEW NEXT NIGHTLY NONE NOR NOTE NOTHING
NOW NUMBER NUMBERS OLD ONCE ONE ONES ONLY OPENED OTHERS OUR OUT OUTPUTS OVER OWN PAID PART
PARTS PAYMENT PAYMENTS PENDING PER PLEASE POST POSTED POSTING POSTS PRINT PRINTED PROCESSED
PROCESSES PROCESSING QUESTION RATE RATES READS REASON RECORDS REJECT REJECTED REJECTS REPORTS
REQUIRED RESULT RESULTS RUN RUNS SAID SAME SEE SHALL SHE SHOULD SINCE SOME STATEMENT
STATEMENTS STEP STEPS STILL STORED SUCH SUMMARY SUSPENSE THAN THAT THE THEIR THEM THERE THESE
THEY THIS THOSE THREE TODAY TODO TOTALS TRANSACTION TRANSACTIONS TWO UNDER UNKNOWN UNLESS
UNTIL UPON USED USER USERS USES USING VALIDATED VALIDATION VALIDATE VERY WARNING WAS WEEK
WEEKLY WERE WHAT WHICH WHILE WHO WHY WILL WITHIN WITHOUT WON WORK WOULD WRITES WRITTEN YEAR
YEARS YES YET YOU YOUR ZERO HOUR HOURS MINUTE MINUTES SECOND BYTE BYTES DIGIT DIGITS LEVEL
API ASCII ATM BMS CICS COBOL CPU CRUD CSV DB2 DBA DLI EBCDIC EOD EOF EOM EOY ESDS ETL FAQ FIXME
GDG GMT HLQ HTML HTTP HTTPS IBM IMS ISO ISPF JCL JES JES2 JSON KSDS LDS LPAR MTD MVS PDF PDS
PDSE PIN RACF REST RRDS SLA SQL TBD TSO UTC UTF URL USD EUR GBP VSAM XML YTD
""")
"""English words and acronyms a model may write in capitals; only those that name nothing in
the estate are passed over."""

SYSTEM_PREFIXES = ("DFH", "EIB", "SQL")
"""Names IBM supplies (CICS's DFHRESP, DFHCOMMAREA, EIBCALEN; DB2's SQLCA, SQLCODE): in no
model, never invented by a program."""

# a literal: a quote that no letter or digit precedes, up to the same quote that none follows
_LITERAL = re.compile(r"(?<![A-Za-z0-9])(?:'[^'\n]*'|\"[^\"\n]*\"|‘[^’\n]*’|“[^”\n]*”)"
                      r"(?![A-Za-z0-9])")
_PICTURE_CLAUSE = re.compile(r"\bPIC(?:TURE)?(?:\s+IS)?\s+\S+")
_PICTURE = re.compile(r"(?<![A-Za-z0-9_-])[SVXAZPB9]+\(\d+\)(?:[SVXAZPB9]+|\(\d+\))*"
                      r"(?![A-Za-z0-9_-])")
_PICTURE_WORD = re.compile(r"[SV9]*9[SV9]*")  # 9V99, S999, V99 (a name has a letter)
_DASH = re.compile(r"-{2,}")
_WORD = re.compile(r"[A-Za-z0-9_-]+")


def _words(text: str) -> Iterable[str]:
    """The words of ``text`` (literals and pictures left out), as written."""
    text = _PICTURE.sub(" ", _PICTURE_CLAUSE.sub(" ", _LITERAL.sub(" ", text)))
    for match in _WORD.finditer(_DASH.sub(" ", text)):
        word = match.group().strip("-_")
        if word:
            yield word


def _shaped(word: str) -> bool:
    """Whether ``word`` is shaped like a COBOL name: capitals, digits and hyphens, a letter,
    a hyphen or three characters, no underscore, not a picture string."""
    return ("_" not in word and any(c.isalpha() for c in word) and word.upper() == word
            and ("-" in word or len(word) >= 3)
            and not _PICTURE_WORD.fullmatch(word))


def reserved_word(word: str) -> bool:
    """Whether an upper-case ``word`` is COBOL's, SQL's, JCL's, CICS's or IBM's: never a name
    a program gave."""
    return word in COBOL_WORDS or word in KEYWORDS or word.startswith(SYSTEM_PREFIXES)


def english_word(word: str) -> bool:
    """Whether an upper-case ``word`` is English (or an acronym), or made only of English and
    reserved words (``END-OF-FILE``, ``24-HOUR``)."""
    parts = word.split("-")
    return word in ENGLISH or (len(parts) > 1 and all(
        p.isdigit() or p in ENGLISH or p in COBOL_WORDS or p in KEYWORDS for p in parts))


def cobol_names(text: str, named: Iterable[str] = frozenset()) -> list[str]:
    """The COBOL names ``text`` mentions, in capitals, each once, in order.

    ``named`` holds the names of the estate's elements: an English word counts as a name only
    when it is one of them."""
    known = named if isinstance(named, (set, frozenset)) else frozenset(named)
    found: dict[str, None] = {}
    for word in _words(text):
        if _shaped(word) and not reserved_word(word) \
                and (word in known or not english_word(word)):
            found.setdefault(word, None)
    return list(found)


# --------------------------------------------------------------------------- the estate's names


class Grounding:
    """The names of an estate, by where they may stand; see the module's doc."""

    def __init__(self, estate: Estate) -> None:
        self.where: dict[str, list[tuple[str, str]]] = {}  # name → (what, program id)
        self.everywhere: set[str] = set()  # names any item may mention
        self.shared: dict[str, set[str]] = {}  # program id → names its elements may mention
        self.within: dict[str, set[str]] = {}  # element id → its own procedure and data names
        self.owner: dict[str, str] = {}  # element id → program id
        for program in estate.programs:
            self._name(program.name, "a program", program.id)
            self.everywhere.add(program.name)
            for entry in program.entry_points:
                self._name(entry.name, f"an entry point of {program.name}", program.id)
                self.everywhere.add(entry.name.upper())
        for job in estate.jobs:
            self._name(job.name, "a JCL job")
            for step in job.steps:
                for ran in (step.program, step.utility):
                    if ran:
                        self._name(ran, f"a program job {job.name} runs")
                        self.everywhere.add(ran.upper())
        for name in estate.copybooks:
            self._name(name, "a copybook")
        for program in estate.programs:
            self._program(program, estate)
        self.named = frozenset(self.where)
        log.debug("grounding: %d names of %d programs", len(self.named), len(estate.programs))

    def _name(self, name: str | None, what: str, program: str = "") -> None:
        """Record that ``name`` (its words, for a name such as ``STEP1.PROCSTEP``) names
        ``what``, of ``program`` when it is a program's."""
        for word in _words(name or ""):
            kinds = self.where.setdefault(word.upper(), [])
            if (what, program) not in kinds:
                kinds.append((what, program))

    def _add(self, names: set[str], name: str | None, what: str, program: str) -> None:
        self._name(name, what, program)
        names.update(word.upper() for word in _words(name or ""))

    def _program(self, program: Program, estate: Estate) -> None:
        pid, pname = program.id, program.name
        shared: set[str] = {pname}
        for entry in program.entry_points:
            shared.add(entry.name.upper())
        for file in program.files:
            for name in (file.name, file.dd_name, file.assign):
                self._add(shared, name, f"a file of {pname}", pid)
        for use in program.copybook_uses:
            self._add(shared, use.name, f"a copybook of {pname}", pid)
        for name in program.copybooks:
            self._add(shared, name, f"a copybook of {pname}", pid)
        for call in program.calls:
            for name in (call.target, *call.candidates):
                self._add(shared, name, f"a program {pname} calls", pid)
        for cmd in program.cics:
            for name in (cmd.target, *(cmd.options.get(option) for option in
                                       ("MAP", "MAPSET", "TRANSID", "PROGRAM", "FILE",
                                        "DATASET"))):
                self._add(shared, name, f"a CICS resource of {pname}", pid)
        for stmt in program.sql:
            for name in (*stmt.tables, stmt.cursor):
                self._add(shared, name, f"an SQL table or cursor of {pname}", pid)
        for job in estate.jobs:
            steps = [s for s in job.steps if s.program == pname]
            if steps:
                shared.add(job.name.upper())
            for step in steps:
                self._add(shared, step.name, f"a step of job {job.name}", pid)
                for dd in step.dds:
                    self._add(shared, dd.name, f"a DD of job {job.name}", pid)
                    self._add(shared, (dd.dsn or "").replace("&", " "),
                              f"part of a dataset name in job {job.name}", pid)
        self.shared[pid] = shared

        items = {item.id: item for item in program.data_items}
        children: dict[str, list[DataItem]] = {}
        for item in program.data_items:
            self._name(item.name, f"a data item of {pname}", pid)
            for index in item.indexed_by:
                self._name(index, f"a data item of {pname}", pid)
            if item.parent:
                children.setdefault(item.parent, []).append(item)
        procedures = (*program.sections, *program.paragraphs)
        for proc in procedures:
            self._name(proc.name, f"a {'section' if isinstance(proc, Section) else 'paragraph'}"
                                  f" of {pname}", pid)

        whole = {word.upper() for item in program.data_items
                 for name in (item.name, *item.indexed_by) for word in _words(name)}
        whole |= {word.upper() for proc in procedures for word in _words(proc.name)}
        words = _procedure_words(program)
        # the program as a whole: also every word its code uses (the fields of a symbolic map
        # whose copybook is not in the repo, the columns of its SQL, its CICS options)
        whole |= set().union(*words.values()) if words else set()
        self._element(pid, pid, whole)
        for item in program.data_items:
            related = [item, *_ancestors(item, items), *_descendants(item, children)]
            self._element(item.id, pid, {r.name for r in related} | {item.record or ""})
        for file in program.files:
            names = {file.name, *(file.records)}
            names |= {i.name for i in program.data_items if i.fd == file.name}
            self._element(file.id, pid, names)
        by_name: dict[str, list[DataItem]] = {}
        for item in program.data_items:
            by_name.setdefault(item.name, []).append(item)
        for proc in procedures:
            keys = {proc.key}
            if isinstance(proc, Section):
                keys |= {p.key for p in program.paragraphs if p.section == proc.name}
            used = set().union(*(words.get(key, set()) for key in keys))
            for word in list(used):  # the records, groups and conditions of the items it uses
                for item in by_name.get(word, []):
                    used |= {i.name for i in _ancestors(item, items)}
                    used |= {i.name for i in children.get(item.id, []) if i.level == 88}
                    used.add(item.record or "")
            section = proc.section if isinstance(proc, Paragraph) else None
            self._element(proc.id, pid, used | {proc.name, section or ""} | keys)

    def _element(self, element: str, program: str, names: set[str]) -> None:
        self.owner[element] = program
        self.within[element] = {word.upper() for name in names for word in _words(name)}

    def scope(self, citations: Iterable[Citation]) -> set[str]:
        """Every name an item citing ``citations`` may mention."""
        names = set(self.everywhere)
        for citation in citations:
            program = self.owner.get(citation.id)
            if program is not None:
                names |= self.shared[program] | self.within[citation.id]
        return names

    def problems(self, texts: Iterable[str], citations: Iterable[Citation]) -> list[str]:
        """What is wrong with the names ``texts`` mention, for an item citing ``citations``:
        names in no part of the estate, and names of elements it does not cite."""
        citations = list(citations)
        scope = self.scope(citations)
        cited = {self.owner[c.id] for c in citations if c.id in self.owner}
        mentioned: dict[str, None] = {}
        for text in texts:
            for name in cobol_names(text, self.named):
                if not _map_field(name, scope):
                    mentioned.setdefault(name, None)
        unknown = [shorten(n) for n in mentioned if n not in scope and n not in self.where]
        elsewhere = [f"{n} ({self._what(n, cited)})" for n in mentioned
                     if n not in scope and n in self.where]
        out = []
        if unknown:
            out.append(f"names {_listed(unknown)}, which {'is' if len(unknown) == 1 else 'are'}"
                       " not in the model")
        if elsewhere:
            out.append(f"names {_listed(elsewhere)}, outside what it cites")
        return out


    def _what(self, name: str, cited: set[str]) -> str:
        """What ``name`` names, the cited programs' elements first."""
        kinds = sorted(self.where[name], key=lambda kind: kind[1] not in cited)
        return ", ".join(what for what, _ in kinds[:3])


def _map_field(name: str, scope: set[str]) -> bool:
    """Whether ``name`` is a BMS map field the code uses by its suffixed names (``CUSTNO`` for
    ``CUSTNOI``, ``CUSTNOO``, ``CUSTNOL``: the symbolic map's convention), though not by its
    own."""
    return name not in scope and any(name + suffix in scope for suffix in "IOLFA")


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters for a reason (a model may answer with a name a
    megabyte long)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES_REPORTED])
    more = len(names) - MAX_NAMES_REPORTED
    return shown + (f" and {more} more" if more > 0 else "")


def _ancestors(item: DataItem, items: dict[str, DataItem]) -> list[DataItem]:
    out = []
    parent = items.get(item.parent or "")
    while parent is not None and parent not in out:
        out.append(parent)
        parent = items.get(parent.parent or "")
    return out


def _descendants(item: DataItem, children: dict[str, list[DataItem]]) -> list[DataItem]:
    out, todo = [], list(children.get(item.id, []))
    while todo:
        child = todo.pop()
        out.append(child)
        todo += children.get(child.id, [])
    return out


def _procedure_words(program: Program) -> dict[str, set[str]]:
    """The words of each procedure, by key: its statements, data flow, conditions, PERFORMs,
    GO TOs, CALLs, file, SQL and CICS operations, literals left out."""
    words: dict[str, set[str]] = {}

    def add(key: str | None, *texts: str | None) -> None:
        found = words.setdefault(key or "", set())
        for text in texts:
            found.update(word.upper() for word in _words(text or ""))

    def walk(key: str, statements: Iterable[Statement]) -> None:
        for stmt in statements:
            add(key, *stmt.operands)
            for branch in stmt.branches:
                add(key, *branch.operands)
                walk(key, branch.statements)

    for body in program.bodies:
        for sentence in body.sentences:
            walk(body.procedure, sentence.statements)
    for flow in program.data_flow:
        add(flow.paragraph, *flow.reads, *flow.writes)
    for condition in program.conditions:
        add(condition.paragraph, condition.text, condition.expanded, *condition.reads)
    for perform in program.performs:
        add(perform.paragraph, perform.target, perform.thru)
    for goto in program.gotos:
        add(goto.paragraph, *goto.targets)
    for call in program.calls:
        add(call.paragraph, call.target, call.via, *call.candidates, *call.using)
    files = {f.name: f for f in program.files}
    for op in program.file_ops:
        file = files.get(op.file_name)
        add(op.paragraph, op.file_name, op.record, file.dd_name if file else None,
            file.assign if file else None)
    for stmt in program.sql:
        add(stmt.paragraph, *stmt.tables, stmt.cursor, *stmt.host_variables, stmt.text)
    for cmd in program.cics:
        add(cmd.paragraph, cmd.target, *cmd.options.values())
    return words

"""JCL as a shop writes it: continuations, quoted PARMs, procedures, TSO batch, in-stream data."""

from __future__ import annotations

from modernize.analysis.jcl import (
    LibraryMember,
    ProcLibrary,
    expand_job,
    expand_procs,
    parse_jcl,
    split_operands,
    substitute,
)

NIGHTLY = """\
//NIGHTLY  JOB (ACCT),'NIGHTLY RUN',CLASS=A,MSGCLASS=X,
//             NOTIFY=&SYSUID
//*--------------------------------------------------------
//SORTPRC  PROC MEM=DEFAULT
//PSTEP1   EXEC PGM=SORT
//SORTIN   DD DSN=PROD.&MEM..DATA,DISP=SHR
//SORTOUT  DD DSN=&&TEMP,DISP=(NEW,PASS)
//         PEND
//STEP010  EXEC PGM=FILE1,PARM='RUN DATE=2024',
//             REGION=0M
//TRANSIN  DD DSN=PROD.TRANS.DAILY,DISP=SHR        DAILY TRANS
//         DD DSN=PROD.TRANS.ADJUST,DISP=SHR
//SYSIN    DD *
  SORT FIELDS=(1,10,CH,A)
/*
//STEP020  EXEC SORTPRC,MEM=ACCT
//PSTEP1.SORTOUT DD DSN=PROD.SORTED,DISP=(NEW,CATLG)
//STEP030  EXEC PGM=IKJEFT01,DYNAMNBR=20
//SYSTSIN  DD *
  DSN SYSTEM(DB2P)
  RUN PROGRAM(SQL1) PLAN(SQL1PLN)
  END
/*
//STEP040  EXEC PGM=REPORT,         COMMENT HERE
//             COND=(4,LT)
//OUTFILE  DD DSN=PROD.REPORT.OUT,
//            DISP=(NEW,CATLG,DELETE),   NEW FILE
//            SPACE=(CYL,(10,5))
"""


def test_operands_split_outside_quotes_and_parentheses():
    assert split_operands("PGM=X,PARM='A,B',DISP=(NEW,CATLG)") == [
        "PGM=X", "PARM='A,B'", "DISP=(NEW,CATLG)"]


def test_a_nightly_job():
    member = parse_jcl(NIGHTLY, "jcl/NIGHTLY.jcl")
    assert list(member.procs) == ["SORTPRC"]
    job = expand_job(member)
    assert job is not None
    steps = [(s.name, s.program, s.utility, s.proc, s.parm, s.line) for s in job.steps]
    assert steps == [
        ("STEP010", "FILE1", None, None, "RUN DATE=2024", 9),
        ("STEP020.PSTEP1", "SORT", None, "SORTPRC", None, 5),
        ("STEP030", "SQL1", "IKJEFT01", None, None, 18),
        ("STEP040", "REPORT", None, None, None, 24),
    ]
    first = job.steps[0]
    assert [(d.name, d.dsn, d.instream) for d in first.dds] == [
        ("TRANSIN", "PROD.TRANS.DAILY", False), ("TRANSIN", "PROD.TRANS.ADJUST", False),
        ("SYSIN", None, True)]
    sort = job.steps[1]
    # MEM=ACCT on the EXEC overrides the PROC's MEM=DEFAULT; the period after &MEM goes
    assert [(d.name, d.dsn) for d in sort.dds] == [("SORTIN", "PROD.ACCT.DATA"),
                                                   ("SORTOUT", "PROD.SORTED")]
    (outfile,) = job.steps[3].dds
    assert (outfile.dsn, outfile.disp) == ("PROD.REPORT.OUT", "(NEW,CATLG,DELETE)")


def test_a_cataloged_procedure_from_another_member():
    proc = parse_jcl("//PAYPROC  PROC\n//CALC     EXEC PGM=PAYCALC\n//EMPIN    DD DSN=PAY.EMP,"
                     "DISP=SHR\n", "proclib/PAYPROC.prc")
    job = parse_jcl("//PAYJOB   JOB (1),'PAY'\n//RUN      EXEC PAYPROC\n", "jcl/PAYJOB.jcl")
    assert proc.job is None
    expanded = expand_procs(job.job, proc.procs)
    assert [(s.name, s.program, s.proc) for s in expanded.steps] == [
        ("RUN.CALC", "PAYCALC", "PAYPROC")]


def test_symbolic_parameters_are_substituted_as_jcl_does() -> None:
    symbols = {"HLQ": "PROD", "MEM": "PAY01", "EMPTY": ""}
    assert substitute("&HLQ..LOAD(&MEM)", symbols) == "PROD.LOAD(PAY01)"
    assert substitute("&HLQ.&MEM", symbols) == "PRODPAY01"  # the period ends the name
    assert substitute("A&EMPTY.B", symbols) == "AB"
    assert substitute("&&TEMP", symbols) == "&&TEMP"  # a temporary data set
    assert substitute("&&HLQ", symbols) == "&&HLQ"
    assert substitute("&SYSUID..X", symbols) == "&SYSUID..X"  # nothing defines it
    assert substitute("&TOOLONGNAME", {"TOOLONGNAME": "X"}) == "&TOOLONGNAME"  # 8 at most
    assert substitute(None, symbols) is None


def _library(**members: str) -> ProcLibrary:
    """A library whose folders are ``proclib`` (members named PROCLIB_X in the keywords) and
    the job's folder ``jcl`` (members JCL_X)."""
    folders: dict[str, dict[str, LibraryMember]] = {}
    for key, text in members.items():
        folder, name = key.split("_", 1)
        path = f"{folder.lower()}/{name}.jcl"
        folders.setdefault(folder.lower(), {})[name] = LibraryMember(
            path, lambda text=text: text)
    return ProcLibrary(folders)


def test_a_job_finds_its_procedures_and_includes_through_jcllib() -> None:
    library = _library(
        PROCLIB_BUILD="//BUILD    PROC MEMBER=,OPT=NORENT\n"
                      "//COMPILE  EXEC PGM=IGYCRCTL,PARM='&OPT'\n"
                      "//SYSIN    DD DSN=&SRCHLQ..COBOL(&MEMBER),DISP=SHR\n"
                      "//LINK     EXEC PGM=IEWL\n"
                      "//SYSLMOD  DD DSN=&SRCHLQ..LOAD(&MEMBER),DISP=SHR\n"
                      "//         PEND\n",
        PROCLIB_DEFAULTS="// SET SRCHLQ=SHOP.DEV\n",
        JCL_LOCALVAR="// SET OPT2=X\n")
    member = parse_jcl("//BLDJOB   JOB 1\n"
                       "// JCLLIB ORDER=(SHOP.DEV.PROCLIB)\n"
                       "// INCLUDE MEMBER=DEFAULTS\n"
                       "// INCLUDE MEMBER=LOCALVAR\n"
                       "//PAYCALC  EXEC BUILD,MEMBER=PAYCALC,PARM.LINK='LIST'\n"
                       "//TAXCALC  EXEC PROC=BUILD,MEMBER=TAXCALC,OPT=RENT\n",
                       "jcl/BLDJOB.jcl", include=library.include)
    assert member.jcllib == ["SHOP.DEV.PROCLIB"]
    assert member.symbols == {"SRCHLQ": "SHOP.DEV", "OPT2": "X"}  # the job's own folder too
    job = expand_job(member, library)
    assert job is not None
    assert [(s.name, s.program, s.proc, s.parm, s.dds[0].dsn, s.file) for s in job.steps] == [
        ("PAYCALC.COMPILE", "IGYCRCTL", "BUILD", "NORENT", "SHOP.DEV.COBOL(PAYCALC)",
         "proclib/BUILD.jcl"),
        ("PAYCALC.LINK", "IEWL", "BUILD", "LIST", "SHOP.DEV.LOAD(PAYCALC)",
         "proclib/BUILD.jcl"),
        ("TAXCALC.COMPILE", "IGYCRCTL", "BUILD", "RENT", "SHOP.DEV.COBOL(TAXCALC)",
         "proclib/BUILD.jcl"),
        ("TAXCALC.LINK", "IEWL", "BUILD", None, "SHOP.DEV.LOAD(TAXCALC)",
         "proclib/BUILD.jcl")]


def test_a_parm_on_the_exec_of_a_procedure_goes_to_its_first_step_only() -> None:
    member = parse_jcl("//RUNIT    JOB 1\n"
                       "//TWO      PROC\n"
                       "//A        EXEC PGM=PROGA,PARM='OLD-A'\n"
                       "//B        EXEC PGM=PROGB,PARM='OLD-B'\n"
                       "//         PEND\n"
                       "//S1       EXEC TWO,PARM='NEW'\n", "jcl/RUNIT.jcl")
    job = expand_job(member)
    assert job is not None
    assert [(s.name, s.parm) for s in job.steps] == [("S1.A", "NEW"), ("S1.B", None)]


def test_procedures_running_procedures_and_a_cycle() -> None:
    library = _library(
        PROCLIB_OUTER="//OUTER    PROC LEVEL=1\n"
                      "//FIRST    EXEC PGM=STEP&LEVEL\n"
                      "//INNER    EXEC MIDDLE,LEVEL=2\n",
        PROCLIB_MIDDLE="//MIDDLE   PROC\n"
                       "//DEEP     EXEC PGM=STEP&LEVEL\n"
                       "//AGAIN    EXEC OUTER\n")
    member = parse_jcl("//NEST     JOB 1\n// JCLLIB ORDER=PROCLIB\n//RUN      EXEC OUTER\n",
                       "jcl/NEST.jcl")
    job = expand_job(member, library)
    assert job is not None
    assert [(s.name, s.program, s.proc) for s in job.steps] == [
        ("RUN.FIRST", "STEP1", "OUTER"),
        ("RUN.INNER.DEEP", "STEP2", "MIDDLE"),
        ("RUN.INNER.AGAIN", None, "OUTER")]  # OUTER again inside OUTER: not expanded


def test_an_unknown_procedure_or_member_leaves_the_step_as_written() -> None:
    member = parse_jcl("//JOB1     JOB 1\n// JCLLIB ORDER=NO.SUCH.LIB\n"
                       "// INCLUDE MEMBER=NOWHERE\n//S1       EXEC MISSING,X=1\n",
                       "jcl/JOB1.jcl", include=_library().include)
    job = expand_job(member, _library())
    assert job is not None
    assert [(s.name, s.program, s.proc) for s in job.steps] == [("S1", None, "MISSING")]


def test_a_tso_run_card_gives_the_step_its_program_and_parm() -> None:
    text = ("//LOADJOB  JOB (ACCT),'LOAD'\n"
            "//STEP01   EXEC PGM=IKJEFT01\n"
            "//SYSTSIN  DD *\n"
            "  DSN SYSTEM(DB2P)\n"
            "  RUN PROGRAM(BANKDATA) PLAN(BANKPLN) -\n"
            "      PARM('1,10000,1,1000000000000000')\n"
            "  END\n"
            "/*\n")
    step = parse_jcl(text, "jcl/LOADJOB.jcl").job.steps[0]
    assert (step.program, step.utility, step.parm) == ("BANKDATA", "IKJEFT01",
                                                       "1,10000,1,1000000000000000")

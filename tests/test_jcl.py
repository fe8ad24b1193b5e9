"""JCL as a shop writes it: continuations, quoted PARMs, procedures, TSO batch, in-stream data."""

from __future__ import annotations

from modernize.jcl import expand_procs, parse_jcl, split_operands

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
    job = expand_procs(member.job, member.procs)
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
    assert [(d.name, d.dsn) for d in sort.dds] == [("SORTIN", "PROD.&MEM..DATA"),
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

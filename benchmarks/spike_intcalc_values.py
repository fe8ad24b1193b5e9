"""Issue 13's design spike: how fast can Python run INTCALC (with its CALL of DATEVAL)?

Not generated and not part of the package. It is INTCALC and DATEVAL written by hand the way
the backend the README describes would write them: every value held in a Python int (scaled
by its decimals), truncation and ROUNDED applied where COBOL stores, bytes touched only where
a record is read or written. Run it as the translated program runs, with DD_<name> files:

    DD_CTLCARD=... DD_RATEIN=... DD_ACCTIN=... DD_ACCTOUT=... DD_INTRPT=... \
        python benchmarks/spike_intcalc_values.py

On `bench_runtime.py --programs INTCALC --records 100000 --out DIR`'s inputs, its stdout,
ACCTOUT and INTRPT are byte for byte GnuCOBOL's. Those inputs hold no bad statement date and
no unpriced product; those two paths are written here but not checked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CUM = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
MDAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def rdiv(num: int, den: int) -> int:
    """num/den rounded half away from zero (den > 0)."""
    q, r = divmod(abs(num), den)
    if 2 * r >= den:
        q += 1
    return -q if num < 0 else q


def trunc(v: int, digits: int) -> int:
    m = abs(v) % 10 ** digits
    return -m if v < 0 else m


def leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def check_date(text: str) -> tuple[int, str, int]:
    """(rc, msg, day_number)"""
    if not text.isdigit() or len(text) != 8:
        return 11, "DATE NOT NUMERIC", 0
    y, m, d = int(text[:4]), int(text[4:6]), int(text[6:])
    if y < 1900 or y > 2099:
        return 12, "YEAR NOT 1900-2099", 0
    if not 1 <= m <= 12:
        return 13, "MONTH NOT 01-12", 0
    lp = leap(y)
    mx = MDAYS[m - 1] + (1 if m == 2 and lp else 0)
    if d < 1 or d > mx:
        return 14, "DAY NOT VALID FOR MONTH", 0
    ym1 = y - 1
    dn = ym1 * 365 + ym1 // 4 - ym1 // 100 + ym1 // 400 + CUM[m - 1] + d
    if lp and m > 2:
        dn += 1
    return 0, "", dn


def dateval_days(d1: str, d2: str) -> tuple[int, str, int]:
    rc, msg, dn1 = check_date(d1)
    if rc:
        return rc, msg, 0
    rc, msg, dn2 = check_date(d2)
    if rc:
        m = ("DATE-2 " + msg.split("  ")[0])[:30]
        return rc + 5, m, 0
    return 0, "", trunc(dn2 - dn1, 9)


def edit(units: int, scale: int, int_width: int, int_digits: int, sign: bool = False) -> str:
    """A Z,ZZZ,ZZ9.99- style picture: zero suppression with commas, trailing '-'."""
    neg = units < 0
    units = abs(units) % 10 ** (int_digits + scale)
    ip, fp = divmod(units, 10 ** scale)
    text = f"{ip:,}".rjust(int_width)
    if scale:
        text += "." + str(fp).zfill(scale)
    if sign:
        text += "-" if neg and units else " "
    return text


def text_of(name: str) -> str:
    return Path(os.environ[f"DD_{name}"]).read_bytes().decode("latin-1")


def main() -> int:
    ctl = text_of("CTLCARD").split("\n")[0]
    run_date = ctl[:8]
    ry, rm, rd = int(run_date[:4]), int(run_date[4:6]), int(run_date[6:8])
    out = sys.stdout
    print_date = f"{run_date[4:6]}/{run_date[6:8]}/{run_date[:4]}"
    out.write("INTCALC  - INTEREST AND FEES   RUN DATE " + print_date + "\n")
    rates: list[tuple[str, int, int, int, int, int]] = []
    for line in text_of("RATEIN").split("\n"):
        if not line:
            continue
        line = line.ljust(80)
        if line[:2] in ("* ", "**"):
            continue
        rates.append((line[:2], int(line[3:9]), int(line[10:17]), int(line[18:23]),
                      int(line[24:27]), int(line[28:33])))
    out.write(f"INTCALC  - RATE TABLE ENTRIES LOADED {len(rates):04d}\n")
    by_product: dict[str, int] = {}
    for i, r in enumerate(rates):
        by_product.setdefault(r[0], i)
    rpt: list[str] = []
    head1 = ("INTCALC   HARBOR FEDERAL CARD SERVICES - INTEREST AND FEE ASSESSMENT REGISTER "
             "  RUN DATE  " + print_date)
    rpt.append(head1 + "\n")
    rpt.append("ACCOUNT NO  PR  DAYS      APR      BALANCE   INTEREST  ANNUAL FEE   LATE FEE "
               "NEW BALANCE    MIN PAY  REMARK\n\n")
    read = assessed = skipped = 0
    tot_int = tot_fee = tot_late = 0
    rc_total = 0
    rpt_lines: list[str] = []
    out_lines: list[str] = []
    for rec in text_of("ACCTIN").split("\n"):
        if not rec:
            continue
        rec = rec.ljust(120)[:120]
        read += 1
        interest = fee = late = minpay = days = 0
        remark = ""
        status = rec[10]
        product = rec[11:13]
        bal = int(rec[55:64]) * (-1 if rec[54] == "-" else 1)
        old_bal = new_bal = bal
        delinq = int(rec[98])
        idx = None
        if status == "C":
            remark = "CLOSED - NOT ASSESSED"
        elif 6 <= delinq <= 9:
            remark = "CHARGE-OFF - NO ACCRUAL"
        else:
            idx = by_product.get(product)
            if idx is None:
                remark = "NO PRICING FOR PRODUCT"
                rc_total = 4
        rate = rates[idx] if idx is not None else None
        if not remark:
            rc, msg, dp_days = dateval_days(rec[64:72], run_date)
            if rc:
                out.write(f"INTCALC  - ACCOUNT {rec[:10]} BAD STATEMENT DATE - {msg:<30}\n")
                remark = "BAD STATEMENT DATE"
                rc_total = 4
            else:
                days = trunc(dp_days, 5)
                if bal > 0:
                    daily = rdiv(rate[1] * 10 ** 5, 36500)  # S9V9(9)
                    interest = trunc(rdiv(bal * daily * days, 10 ** 9), 9)
                else:
                    remark = "NO DEBIT BALANCE"
                if (int(rec[41:43]) == rm and int(rec[43:45]) == rd and int(rec[37:41]) < ry
                        and rate[2] > 0):
                    fee = rate[2]
                    remark = "ANNUAL FEE"
                if 1 <= delinq <= 5:
                    late = rate[3]
                    remark = "DELINQUENT - LATE FEE"
                new_bal = trunc(bal + interest + fee + late, 11)
                if new_bal <= 0:
                    minpay = 0
                else:
                    minpay = trunc(rdiv(new_bal * rate[4], 1000), 9)
                    if minpay < rate[5]:
                        minpay = rate[5]
                    if minpay > new_bal:
                        minpay = trunc(new_bal, 9)
                b = trunc(new_bal, 9)
                ytd = abs(int(rec[99:106]) + interest) % 10 ** 7
                rec = (rec[:54] + ("-" if b < 0 else "+") + str(abs(b)).zfill(9) + run_date
                       + rec[72:80] + "000000000000000000" + rec[98] + str(abs(ytd)).zfill(7)
                       + rec[106:])
                assessed += 1
                tot_int += interest
                tot_fee += fee
                tot_late += late
        if remark in ("CLOSED - NOT ASSESSED", "CHARGE-OFF - NO ACCRUAL",
                      "NO PRICING FOR PRODUCT", "BAD STATEMENT DATE"):
            skipped += 1
        apr = 0 if remark in ("CLOSED - NOT ASSESSED", "CHARGE-OFF - NO ACCRUAL",
                              "NO PRICING FOR PRODUCT") else rate[1]
        line = (rec[:10] + "  " + product + "  " + edit(days, 0, 4, 4) + "  "
                + edit(apr, 4, 2, 2) + " " + edit(old_bal, 2, 9, 7, True)
                + edit(interest, 2, 7, 6) + "   " + edit(fee, 2, 6, 5) + "  "
                + edit(late, 2, 6, 5) + edit(new_bal, 2, 9, 7, True) + edit(minpay, 2, 7, 6)
                + "  " + remark)
        rpt_lines.append(line.rstrip())
        out_lines.append(rec.rstrip())
    rpt.append("\n".join(rpt_lines) + "\n")
    rpt.append("\n")
    for label, count, amount in (("ACCOUNTS READ", read, 0), ("ACCOUNTS ASSESSED", assessed, 0),
                                 ("ACCOUNTS NOT ASSESSED", skipped, 0),
                                 ("FINANCE CHARGES", 0, tot_int), ("ANNUAL FEES", 0, tot_fee),
                                 ("LATE FEES", 0, tot_late)):
        c = edit(count, 0, 7, 6) if count else " " * 7
        a = edit(amount, 2, 11, 9) if amount else " " * 14
        total = label.ljust(30) + c + "   " + a
        rpt.append(total.rstrip() + "\n")
        out.write("INTCALC  - " + total + "\n")
    out.write(f"INTCALC  - ENDED, RETURN CODE {rc_total:04d}\n")
    Path(os.environ["DD_INTRPT"]).write_bytes("".join(rpt).encode("latin-1"))
    Path(os.environ["DD_ACCTOUT"]).write_bytes(("\n".join(out_lines) + "\n").encode("latin-1"))
    return rc_total


if __name__ == "__main__":
    sys.exit(main())

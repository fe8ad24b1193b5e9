000100*================================================================*
000200* COPYBOOK : ACCTREC                                             *
000300* TITLE    : CARD ACCOUNT MASTER RECORD                          *
000400* DATASET  : HFCS.PROD.ACCTMAST (GDG)  RECFM=FB  LRECL=120       *
000500* USED BY  : POSTTRAN INTCALC STMTRPT ACCTUPDT ACCTINQ (CICS)    *
000600*----------------------------------------------------------------*
000700* 03/14/94 RJM  ORIGINAL LAYOUT                                  *
000800* 11/19/98 RJM  Y2K - ALL DATES EXPANDED TO CCYYMMDD     PRJ0199 *
000900* 02/02/06 KLT  DELINQUENCY CYCLES AND YTD INTEREST      CHG0611 *
001000*================================================================*
001100 01  ACCT-MASTER-REC.
001200     05  ACCT-NUMBER                 PIC 9(10).
001300     05  ACCT-NUMBER-R REDEFINES ACCT-NUMBER.
001400         10  ACCT-BRANCH.
001500             15  ACCT-REGION         PIC 9(1).
001600             15  ACCT-BRANCH-SFX     PIC 9(2).
001700         10  ACCT-SERIAL             PIC 9(7).
001800     05  ACCT-STATUS                 PIC X(1).
001900         88  ACCT-ACTIVE                 VALUE 'A'.
002000         88  ACCT-CLOSED                 VALUE 'C'.
002100         88  ACCT-FROZEN                 VALUE 'F' 'H'.
002200         88  ACCT-VALID-STATUS           VALUE 'A' 'C' 'F' 'H'.
002300     05  ACCT-PRODUCT                PIC X(2).
002400         88  ACCT-CLASSIC                VALUE 'CL'.
002500         88  ACCT-GOLD                   VALUE 'GD'.
002600         88  ACCT-PLATINUM               VALUE 'PL'.
002700         88  ACCT-VALID-PRODUCT          VALUE 'CL' 'GD' 'PL'.
002800     05  ACCT-NAME                   PIC X(24).
002900     05  ACCT-OPEN-DATE              PIC 9(8).
003000     05  ACCT-OPEN-DATE-R REDEFINES ACCT-OPEN-DATE.
003100         10  ACCT-OPEN-CCYY          PIC 9(4).
003200         10  ACCT-OPEN-MM            PIC 9(2).
003300         10  ACCT-OPEN-DD            PIC 9(2).
003400     05  ACCT-CREDIT-LIMIT           PIC 9(7)V99.
003500     05  ACCT-BALANCE                PIC S9(7)V99
003600                                     SIGN IS LEADING SEPARATE.
003700     05  ACCT-LAST-STMT-DATE         PIC 9(8).
003800     05  ACCT-LAST-ACTV-DATE         PIC 9(8).
003900     05  ACCT-CYC-DEBITS             PIC 9(7)V99.
004000     05  ACCT-CYC-CREDITS            PIC 9(7)V99.
004100     05  ACCT-DELINQ-CYCLES          PIC 9(1).
004200         88  ACCT-CURRENT                VALUE 0.
004300         88  ACCT-DELINQUENT             VALUE 1 THRU 5.          CHG0611
004400         88  ACCT-CHARGE-OFF             VALUE 6 THRU 9.          CHG0611
004500     05  ACCT-YTD-INTEREST           PIC 9(5)V99.                 CHG0611
004600     05  ACCT-LAST-MAINT-DATE        PIC 9(8).
004700     05  FILLER                      PIC X(6).
004800

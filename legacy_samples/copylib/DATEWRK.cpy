      *================================================================*
      * COPYBOOK : DATEWRK                                             *
      * TITLE    : COMMON DATE WORK AREA (CCYYMMDD)                    *
      *================================================================*
       01  DATE-WORK-AREA.
           05  DW-DATE                     PIC 9(8).
           05  DW-DATE-R REDEFINES DW-DATE.
               10  DW-CCYY                 PIC 9(4).
               10  DW-MM                   PIC 9(2).
                   88  DW-VALID-MONTH          VALUE 1 THRU 12.
                   88  DW-FEBRUARY             VALUE 2.
                   88  DW-30-DAY-MONTH         VALUE 4 6 9 11.
               10  DW-DD                   PIC 9(2).
           05  DW-PRINT-DATE.
               10  DW-P-MM                 PIC 9(2).
               10  FILLER                  PIC X(1)   VALUE '/'.
               10  DW-P-DD                 PIC 9(2).
               10  FILLER                  PIC X(1)   VALUE '/'.
               10  DW-P-CCYY               PIC 9(4).
           05  DW-DAY-NUMBER               PIC S9(9)  COMP-3.
           05  DW-DOW                      PIC 9(1).
           05  DW-DAY-NAME-VALUES          PIC X(21)
                                   VALUE 'MONTUEWEDTHUFRISATSUN'.
           05  DW-DAY-NAME-TBL REDEFINES DW-DAY-NAME-VALUES.
               10  DW-DAY-NAME             PIC X(3)   OCCURS 7 TIMES.

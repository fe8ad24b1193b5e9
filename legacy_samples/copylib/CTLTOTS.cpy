      *================================================================*
      * COPYBOOK : CTLTOTS                                             *
      * TITLE    : STANDARD BATCH CONTROL TOTALS / BALANCING AREA      *
      * NOTE     : PACKED FIELDS - DO NOT MOVE TO A PRINT LINE         *
      *            WITHOUT AN EDITED PICTURE.                          *
      *================================================================*
       01  CTL-TOTALS.
           05  CT-RECS-READ                PIC S9(7)      COMP-3.
           05  CT-RECS-WRITTEN             PIC S9(7)      COMP-3.
           05  CT-RECS-REJECTED            PIC S9(7)      COMP-3.
           05  CT-DEBIT-AMT                PIC S9(11)V99  COMP-3.
           05  CT-CREDIT-AMT               PIC S9(11)V99  COMP-3.
           05  CT-NET-AMT                  PIC S9(11)V99.
           05  CT-REASON-COUNTS.
               10  CT-REASON-COUNT         PIC S9(4)      COMP
                                           OCCURS 9 TIMES.
           05  CT-HIGH-RC                  PIC S9(4)      COMP.
               88  CT-RC-CLEAN                 VALUE 0.
               88  CT-RC-WARNING               VALUE 4 THRU 7.
               88  CT-RC-ERROR                 VALUE 8 THRU 16.
           05  CT-HASH-TOTAL               PIC S9(15)     COMP-3.

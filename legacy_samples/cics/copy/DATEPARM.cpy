      *================================================================*
      * COPYBOOK : DATEPARM                                            *
      * TITLE    : PARAMETER BLOCK FOR THE COMMON DATE ROUTINE DATEVAL *
      *            SHARED BY BATCH (CALL) AND ONLINE (EXEC CICS LINK   *
      *            ... COMMAREA(DATE-PARMS)).  LENGTH 54.              *
      *----------------------------------------------------------------*
      * FUNCTIONS: 'V' VALIDATE DP-DATE-1, RETURN DAY OF WEEK          *
      *            'D' VALIDATE BOTH DATES, DP-DAYS = DATE-2 - DATE-1  *
      * RETURN   : 00 OK  11-14 DATE-1 BAD  16-19 DATE-2 BAD  90 FUNC  *
      *================================================================*
       01  DATE-PARMS.
           05  DP-FUNCTION                 PIC X(1).
               88  DP-VALIDATE                 VALUE 'V'.
               88  DP-DAYS-BETWEEN             VALUE 'D'.
           05  DP-DATE-1                   PIC 9(8).
           05  DP-DATE-1-R REDEFINES DP-DATE-1.
               10  DP-D1-CCYY              PIC 9(4).
               10  DP-D1-MM                PIC 9(2).
               10  DP-D1-DD                PIC 9(2).
           05  DP-DATE-2                   PIC 9(8).
           05  DP-DAYS                     PIC S9(9)      COMP.
           05  DP-DAY-OF-WEEK              PIC 9(1).
               88  DP-WEEKEND                  VALUE 6 7.
           05  DP-RETURN-CODE              PIC 9(2).
               88  DP-OK                       VALUE 0.
               88  DP-DATE-1-ERROR             VALUE 11 THRU 14.
               88  DP-DATE-2-ERROR             VALUE 16 THRU 19.
               88  DP-BAD-FUNCTION             VALUE 90.
           05  DP-MESSAGE                  PIC X(30).

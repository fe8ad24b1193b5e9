      *================================================================*
      * COPYBOOK : RATETBL                                             *
      * TITLE    : PRICING TABLE BY CARD PRODUCT (IN STORAGE)          *
      *            LOADED FROM HFCS.PROD.RATETBL AT START OF RUN       *
      *================================================================*
       01  RATE-TABLE.
           05  RT-ENTRY-COUNT              PIC S9(4)      COMP.
           05  RT-ENTRY                    OCCURS 1 TO 10 TIMES
                                           DEPENDING ON RT-ENTRY-COUNT
                                           INDEXED BY RT-IDX.
               10  RT-PRODUCT              PIC X(2).
               10  RT-APR                  PIC S9(2)V9(4) COMP-3.
               10  RT-ANNUAL-FEE           PIC S9(5)V99   COMP-3.
               10  RT-LATE-FEE             PIC S9(3)V99   COMP-3.
               10  RT-MIN-PAY-PCT          PIC S9(2)V9    COMP-3.
               10  RT-MIN-PAY-AMT          PIC S9(3)V99   COMP-3.

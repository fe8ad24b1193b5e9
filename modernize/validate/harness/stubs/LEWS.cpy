      *----------------------------------------------------------------
      * LEWS: working storage of the Language Environment stubs'
      * shared paragraphs (LEPROC). See modernize/runtime/services.py.
      *----------------------------------------------------------------
       01  LE-SERVICE                PIC X(8).
       01  LE-CONDITION.
           05  LE-SEV                PIC S9(4) BINARY.
           05  LE-MSGNO              PIC S9(4) BINARY.
       01  LE-WORK.
           05  LE-I                  PIC S9(9) BINARY.
           05  LE-J                  PIC S9(9) BINARY.
           05  LE-K                  PIC S9(9) BINARY.
           05  LE-RUN                PIC S9(9) BINARY.
           05  LE-LEN                PIC S9(9) BINARY.
           05  LE-VALUE              PIC S9(9) BINARY.
           05  LE-DIGITS             PIC S9(9) BINARY.
           05  LE-DIGIT              PIC 9.
           05  LE-CH                 PIC X.
           05  LE-FLEX               PIC X.
           05  LE-NAME               PIC X(3).
       01  LE-PICTURE.
           05  LE-PIC-LEN            PIC S9(9) BINARY.
           05  LE-PIC-TXT            PIC X(255).
       01  LE-TOKENS.
           05  LE-TOK-N              PIC S9(9) BINARY.
           05  LE-HAS-LIT            PIC X.
           05  LE-TOK                OCCURS 256 TIMES.
               10  LE-TOK-KIND       PIC X(4).
               10  LE-TOK-W          PIC S9(9) BINARY.
               10  LE-TOK-CH         PIC X.
       01  LE-INPUT.
           05  LE-IN-LEN             PIC S9(9) BINARY.
           05  LE-IN-TXT             PIC X(255).
       01  LE-PARTS.
           05  LE-YEAR               PIC S9(9) BINARY.
           05  LE-YY                 PIC X.
           05  LE-MONTH              PIC S9(9) BINARY.
           05  LE-DAY                PIC S9(9) BINARY.
           05  LE-DDD                PIC S9(9) BINARY.
           05  LE-HOUR               PIC S9(9) BINARY.
           05  LE-MINUTE             PIC S9(9) BINARY.
           05  LE-SECOND             PIC S9(9) BINARY.
           05  LE-MILLI              PIC S9(9) BINARY.
           05  LE-HAS-YEAR           PIC X.
           05  LE-HAS-MONTH          PIC X.
           05  LE-HAS-DAY            PIC X.
           05  LE-HAS-DDD            PIC X.
       01  LE-DATES.
           05  LE-LILIAN             PIC S9(9) BINARY.
           05  LE-JAN1               PIC S9(9) BINARY.
           05  LE-TOD-MS             PIC S9(18) BINARY.
           05  LE-TOTAL-MS           PIC S9(18) BINARY.
           05  LE-TOTAL-HS           PIC S9(18) BINARY.
           05  LE-FIRST              PIC S9(9) BINARY.
           05  LE-DIM                PIC S9(9) BINARY.
           05  LE-YMD                PIC 9(8).
           05  LE-YMD-R REDEFINES LE-YMD.
               10  LE-YMD-Y          PIC 9(4).
               10  LE-YMD-M          PIC 99.
               10  LE-YMD-D          PIC 99.
           05  LE-SECS               PIC S9(12)V999.
           05  LE-N4                 PIC 9(4).
           05  LE-N3                 PIC 9(3).
           05  LE-N2                 PIC 9(2).
       01  LE-MONTH-DAYS             VALUE '312831303130313130313031'.
           05  LE-MDAYS              PIC 99 OCCURS 12 TIMES.
       01  LE-MONTH-NAMES.
           05  FILLER                PIC X(36) VALUE
               'JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC'.
       01  LE-MONTH-NAME-R REDEFINES LE-MONTH-NAMES.
           05  LE-MON-NAME           PIC X(3) OCCURS 12 TIMES.
       01  LE-OUT.
           05  LE-OUT-LEN            PIC S9(9) BINARY.
           05  LE-OUT-TXT            PIC X(260).
       01  LE-NOW.
           05  LE-NOW-DATE.
               10  LE-NOW-YEAR       PIC 9(4).
               10  LE-NOW-MONTH      PIC 99.
               10  LE-NOW-DAY        PIC 99.
           05  LE-NOW-HOUR           PIC 99.
           05  LE-NOW-MINUTE         PIC 99.
           05  LE-NOW-SECOND         PIC 99.
           05  LE-NOW-HUNDREDTHS     PIC 99.
           05  LE-NOW-SIGN           PIC X.
           05  LE-NOW-OFF-HOURS      PIC 99.
           05  LE-NOW-OFF-MINUTES    PIC 99.
       01  LE-NOW-OFFSET             PIC S9(9) BINARY.
       01  LE-ABEND.
           05  LE-ABEND-CODE         PIC S9(18) BINARY.
           05  LE-ABEND-STATUS       PIC S9(9) BINARY.
           05  LE-ABEND-REASON       PIC X(80).
           05  LE-ABEND-DETAIL       PIC X(40).
           05  LE-ABEND-NUMBER       PIC -(11)9.
           05  LE-ABEND-U            PIC 9(4).
           05  LE-ABEND-E3           PIC ZZ9.
           05  LE-ABEND-E4           PIC ZZZ9.
           05  LE-MESSAGE            PIC X(200).

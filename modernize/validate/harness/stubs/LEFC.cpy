      *----------------------------------------------------------------
      * LEFC: the feedback code (a 12-byte condition token), LINKAGE.
      *----------------------------------------------------------------
       01  LS-FC.
           05  LS-FC-SEV             PIC S9(4) BINARY.
           05  LS-FC-MSGNO           PIC S9(4) BINARY.
           05  LS-FC-CTL             PIC X.
           05  LS-FC-FACILITY        PIC X(3).
           05  LS-FC-ISI             PIC S9(9) BINARY.

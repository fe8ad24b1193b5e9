      *================================================================*
      * COPYBOOK : CARDREC                                             *
      * TITLE    : CARDHOLDER PLASTICS RECORD - VARIABLE LENGTH        *
      *            ONE RECORD PER ACCOUNT, 1 TO 4 PLASTICS             *
      * DATASET  : HFCS.PROD.CARDMAST   RECFM=VB  LRECL=136            *
      * NOTE     : THE PLASTIC ENTRY LAYOUT IS SHARED WITH THE CARD    *
      *            ACTIVATION SYSTEM - SEE COPYBOOK CARDENT.           *
      *================================================================*
       01  CARD-MASTER-REC.
           05  CM-ACCT-NUMBER              PIC 9(10).
           05  CM-EMBOSS-NAME              PIC X(21).
           05  CM-CARD-COUNT               PIC 9(1).
           05  CM-CARD-ENTRY               OCCURS 1 TO 4 TIMES
                                           DEPENDING ON CM-CARD-COUNT
                                           INDEXED BY CM-CX.
               COPY CARDENT.

      *----------------------------------------------------------------*
      * COPYBOOK : CARDENT  - ONE PLASTIC (25 BYTES)                   *
      *            COPIED INSIDE AN OCCURS AT LEVEL 05 - ITEMS ARE 10+ *
      *----------------------------------------------------------------*
               10  CE-CARD-NUMBER          PIC X(16).
               10  CE-CARD-ROLE            PIC X(1).
                   88  CE-PRIMARY              VALUE 'P'.
                   88  CE-AUTH-USER            VALUE 'A'.
               10  CE-EXPIRY               PIC 9(6).
               10  CE-EXPIRY-R REDEFINES CE-EXPIRY.
                   15  CE-EXP-CCYY         PIC 9(4).
                   15  CE-EXP-MM           PIC 9(2).
               10  CE-CARD-STATUS          PIC X(1).
                   88  CE-CARD-ACTIVE          VALUE 'A'.
                   88  CE-CARD-BLOCKED         VALUE 'L' 'S' 'F'.
               10  CE-PLASTIC-TYPE         PIC X(1).
                   88  CE-CHIP-CONTACTLESS     VALUE 'C'.
                   88  CE-CHIP-ONLY            VALUE 'M'.

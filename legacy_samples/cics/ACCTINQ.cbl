       IDENTIFICATION DIVISION.
       PROGRAM-ID. ACCTINQ.
       AUTHOR. P ASHWORTH.
       INSTALLATION. HARBOR FEDERAL CARD SERVICES - ONLINE SYSTEMS.
       DATE-WRITTEN. 11/02/1999.
      *================================================================*
      * ACCTINQ  - ACCOUNT INQUIRY  (TRANSACTION AINQ, MAPSET ACCTSET) *
      *                                                                *
      *   PSEUDO-CONVERSATIONAL.  FIRST TIME IN (EIBCALEN = 0) SENDS   *
      *   THE EMPTY MAP.  ON ENTER READS THE ACCOUNT FROM THE VSAM     *
      *   KSDS ACCTMST (SAME LAYOUT AS THE BATCH MASTER, ACCTREC) AND  *
      *   LINKS TO DATEVAL FOR THE DAYS SINCE THE LAST STATEMENT.      *
      *   PF3 TRANSFERS TO THE HFCS MAIN MENU, CLEAR ENDS THE SESSION. *
      *----------------------------------------------------------------*
      * 11/02/99 PSA  ORIGINAL                                         *
      * 06/14/07 KLT  DAYS SINCE LAST STATEMENT VIA DATEVAL    CHG0744 *
      * 05/05/15 MNG  RESP CODES INSTEAD OF HANDLE CONDITION   CHG1466 *
      *================================================================*
       ENVIRONMENT DIVISION.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-RESP                         PIC S9(8)  COMP.
       01  WS-ACCT-KEY                     PIC X(10).
       01  WS-ABSTIME                      PIC S9(15) COMP-3.
       01  WS-TODAY                        PIC X(8).
       01  WS-AVAILABLE                    PIC S9(9)V99 COMP-3.
       01  WS-EDIT-AMT                     PIC Z,ZZZ,ZZ9.99-.
       01  WS-EDIT-DAYS                    PIC ZZZZ9.
       01  WS-RESP-DISP                    PIC 9(4).
       01  WS-END-MSG                      PIC X(40)
                                   VALUE 'AINQ SESSION ENDED - HFCS'.

       COPY ACCTSET.

       COPY DFHAID.

       COPY ACCTREC.

       COPY DATEPARM.

       COPY INQCOMM.

       LINKAGE SECTION.
       01  DFHCOMMAREA                     PIC X(40).
      /
       PROCEDURE DIVISION.
       0000-MAIN.
           IF EIBCALEN = ZERO
               INITIALIZE INQ-COMMAREA
               PERFORM 1000-SEND-INITIAL-MAP
               GO TO 0000-RETURN
           END-IF
           MOVE DFHCOMMAREA TO INQ-COMMAREA
           EVALUATE TRUE
               WHEN EIBAID = DFHCLEAR
                   PERFORM 8000-END-SESSION
               WHEN EIBAID = DFHPF3
                   EXEC CICS XCTL
                        PROGRAM('HFCSMENU')
                   END-EXEC
               WHEN EIBAID = DFHENTER
                   PERFORM 2000-PROCESS-INQUIRY THRU 2000-EXIT
               WHEN OTHER
                   MOVE LOW-VALUES TO ACCTMAPO
                   MOVE 'INVALID KEY - USE ENTER, PF3 OR CLEAR' TO MSGO
                   ADD 1 TO CA-ERROR-COUNT
                   PERFORM 3000-SEND-DATAONLY
           END-EVALUATE.
       0000-RETURN.
           EXEC CICS RETURN
                TRANSID('AINQ')
                COMMAREA(INQ-COMMAREA)
                LENGTH(LENGTH OF INQ-COMMAREA)
           END-EXEC
           GOBACK.

       1000-SEND-INITIAL-MAP.
           MOVE LOW-VALUES TO ACCTMAPO
           MOVE 'ENTER AN ACCOUNT NUMBER AND PRESS ENTER' TO MSGO
           EXEC CICS SEND
                MAP('ACCTMAP')
                MAPSET('ACCTSET')
                FROM(ACCTMAPO)
                ERASE
           END-EXEC
           SET CA-MAP-SENT TO TRUE.

      *----------------------------------------------------------------*
      * 2000 - RECEIVE THE ACCOUNT NUMBER, READ THE ACCOUNT, SHOW IT   *
      *----------------------------------------------------------------*
       2000-PROCESS-INQUIRY.
           EXEC CICS RECEIVE
                MAP('ACCTMAP')
                MAPSET('ACCTSET')
                INTO(ACCTMAPI)
                RESP(WS-RESP)
           END-EXEC
           MOVE LOW-VALUES TO ACCTMAPO
           IF WS-RESP = DFHRESP(MAPFAIL)
               MOVE 'PLEASE ENTER AN ACCOUNT NUMBER' TO MSGO
               PERFORM 3000-SEND-DATAONLY
               GO TO 2000-EXIT
           END-IF
           IF ACCTNOI NOT NUMERIC
               MOVE 'ACCOUNT NUMBER MUST BE 10 DIGITS' TO MSGO
               ADD 1 TO CA-ERROR-COUNT
               PERFORM 3000-SEND-DATAONLY
               GO TO 2000-EXIT
           END-IF
           MOVE ACCTNOI TO WS-ACCT-KEY
           EXEC CICS READ
                DATASET('ACCTMST')
                INTO(ACCT-MASTER-REC)
                RIDFLD(WS-ACCT-KEY)
                KEYLENGTH(10)
                RESP(WS-RESP)
           END-EXEC
           EVALUATE WS-RESP                                             CHG1466
               WHEN DFHRESP(NORMAL)                                     CHG1466
                   PERFORM 2100-FORMAT-ACCOUNT
                   MOVE WS-ACCT-KEY TO CA-LAST-ACCT-NO
                   SET CA-ACCT-DISPLAYED TO TRUE
               WHEN DFHRESP(NOTFND)                                     CHG1466
                   MOVE 'ACCOUNT NOT ON FILE' TO MSGO
               WHEN OTHER
                   MOVE WS-RESP TO WS-RESP-DISP
                   STRING 'ACCTMST READ ERROR, RESP='  DELIMITED BY SIZE
                          WS-RESP-DISP                 DELIMITED BY SIZE
                          INTO MSGO
                   END-STRING
           END-EVALUATE
           PERFORM 3000-SEND-DATAONLY.
       2000-EXIT.
           EXIT.

       2100-FORMAT-ACCOUNT.
           MOVE ACCT-NUMBER       TO ACCTNOO
           MOVE ACCT-NAME         TO NAMEO
           MOVE ACCT-STATUS       TO STATO
           MOVE ACCT-PRODUCT      TO PRODO
           MOVE ACCT-CREDIT-LIMIT TO WS-EDIT-AMT
           MOVE WS-EDIT-AMT       TO LIMITO
           MOVE ACCT-BALANCE      TO WS-EDIT-AMT
           MOVE WS-EDIT-AMT       TO BALO
           COMPUTE WS-AVAILABLE = ACCT-CREDIT-LIMIT - ACCT-BALANCE
           MOVE WS-AVAILABLE      TO WS-EDIT-AMT
           MOVE WS-EDIT-AMT       TO AVAILO
           MOVE ACCT-LAST-STMT-DATE TO LSTMTO
      *    DAYS SINCE THE LAST STATEMENT - COMMON DATE ROUTINE
           EXEC CICS ASKTIME
                ABSTIME(WS-ABSTIME)
           END-EXEC
           EXEC CICS FORMATTIME
                ABSTIME(WS-ABSTIME)
                YYYYMMDD(WS-TODAY)
           END-EXEC
           MOVE 'D'                 TO DP-FUNCTION
           MOVE ACCT-LAST-STMT-DATE TO DP-DATE-1
           MOVE WS-TODAY            TO DP-DATE-2
           EXEC CICS LINK                                               CHG0744
                PROGRAM('DATEVAL')                                      CHG0744
                COMMAREA(DATE-PARMS)                                    CHG0744
                LENGTH(LENGTH OF DATE-PARMS)                            CHG0744
           END-EXEC                                                     CHG0744
           IF DP-OK
               MOVE DP-DAYS TO WS-EDIT-DAYS
               MOVE WS-EDIT-DAYS TO DAYSO
           END-IF
           IF ACCT-CLOSED
               MOVE 'ACCOUNT IS CLOSED' TO MSGO
           ELSE
               MOVE 'PRESS ENTER FOR ANOTHER ACCOUNT, PF3 FOR MENU'
                 TO MSGO
           END-IF.

       3000-SEND-DATAONLY.
           EXEC CICS SEND
                MAP('ACCTMAP')
                MAPSET('ACCTSET')
                FROM(ACCTMAPO)
                DATAONLY
                CURSOR
           END-EXEC.

       8000-END-SESSION.
           EXEC CICS SEND TEXT
                FROM(WS-END-MSG)
                LENGTH(LENGTH OF WS-END-MSG)
                ERASE
                FREEKB
           END-EXEC
           EXEC CICS RETURN
           END-EXEC.

      *----------------------------------------------------------------
      * LEPICT: picture strings. LE-TOKENISE reads LE-PICTURE into
      * LE-TOKENS; LE-PARSE reads LE-INPUT by them into LE-PARTS;
      * LE-DAY-OF checks the parts and gives LE-LILIAN; LE-FORMAT
      * writes the parts by the tokens into LE-OUT. Errors set
      * LE-MSGNO. Needs LEWS and LEPROC.
      *----------------------------------------------------------------
       LE-TOKENISE.
           MOVE 0 TO LE-TOK-N
           MOVE 'N' TO LE-HAS-LIT
           IF LE-PIC-LEN < 1 OR LE-PIC-LEN > 255
               MOVE 2518 TO LE-MSGNO
           ELSE
               IF LE-PIC-TXT(1:LE-PIC-LEN) = SPACES
                   MOVE 2518 TO LE-MSGNO
               END-IF
           END-IF
           MOVE 1 TO LE-I
           PERFORM UNTIL LE-MSGNO NOT = 0 OR LE-I > LE-PIC-LEN
               MOVE LE-PIC-TXT(LE-I:1) TO LE-CH
               MOVE 1 TO LE-RUN
               PERFORM UNTIL LE-I + LE-RUN > LE-PIC-LEN
                   OR LE-PIC-TXT(LE-I + LE-RUN:1) NOT = LE-CH
                   ADD 1 TO LE-RUN
               END-PERFORM
               ADD 1 TO LE-TOK-N
               MOVE SPACES TO LE-TOK-KIND(LE-TOK-N)
               MOVE SPACE TO LE-TOK-CH(LE-TOK-N)
               EVALUATE TRUE
               WHEN LE-CH = 'Y'
                   IF LE-RUN = 2
                       MOVE 'YY' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
                   IF LE-RUN = 4
                       MOVE 'YYYY' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
               WHEN LE-CH = 'M' AND LE-I < LE-PIC-LEN
                    AND LE-PIC-TXT(LE-I + 1:1) = 'I'
                   MOVE 'MI' TO LE-TOK-KIND(LE-TOK-N)
                   MOVE 2 TO LE-RUN
               WHEN LE-CH = 'M' AND LE-I + 2 <= LE-PIC-LEN
                    AND LE-PIC-TXT(LE-I + 1:2) = 'mm'
                   MOVE 'Mmm' TO LE-TOK-KIND(LE-TOK-N)
                   MOVE 3 TO LE-RUN
               WHEN LE-CH = 'M'
                   IF LE-RUN = 2
                       MOVE 'MM' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
                   IF LE-RUN = 3
                       MOVE 'MMM' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
               WHEN LE-CH = 'D'
                   IF LE-RUN = 2
                       MOVE 'DD' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
                   IF LE-RUN = 3
                       MOVE 'DDD' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
               WHEN LE-CH = 'H'
                   IF LE-RUN = 2
                       MOVE 'HH' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
               WHEN LE-CH = 'S'
                   IF LE-RUN = 2
                       MOVE 'SS' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
               WHEN LE-CH = '9'
                   IF LE-RUN <= 3
                       MOVE '9' TO LE-TOK-KIND(LE-TOK-N)
                   END-IF
               WHEN (LE-CH >= 'A' AND LE-CH <= 'Z')
                 OR (LE-CH >= 'a' AND LE-CH <= 'z')
                   CONTINUE
               WHEN OTHER
                   MOVE 'LIT' TO LE-TOK-KIND(LE-TOK-N)
                   MOVE 1 TO LE-RUN
                   MOVE LE-CH TO LE-TOK-CH(LE-TOK-N)
                   MOVE 'Y' TO LE-HAS-LIT
               END-EVALUATE
               IF LE-TOK-KIND(LE-TOK-N) = SPACES
                   MOVE 2518 TO LE-MSGNO
               END-IF
               MOVE LE-RUN TO LE-TOK-W(LE-TOK-N)
               ADD LE-RUN TO LE-I
           END-PERFORM.

      * A picture to read must hold a year, and a month and a day or
      * a day of the year.
       LE-DATE-PICTURE.
           MOVE 'N' TO LE-HAS-YEAR LE-HAS-MONTH LE-HAS-DAY LE-HAS-DDD
           PERFORM VARYING LE-K FROM 1 BY 1 UNTIL LE-K > LE-TOK-N
               EVALUATE LE-TOK-KIND(LE-K)
               WHEN 'YYYY'
               WHEN 'YY'
                   MOVE 'Y' TO LE-HAS-YEAR
               WHEN 'MM'
               WHEN 'MMM'
               WHEN 'Mmm'
                   MOVE 'Y' TO LE-HAS-MONTH
               WHEN 'DD'
                   MOVE 'Y' TO LE-HAS-DAY
               WHEN 'DDD'
                   MOVE 'Y' TO LE-HAS-DDD
               END-EVALUATE
           END-PERFORM
           IF LE-HAS-YEAR = 'N'
               MOVE 2518 TO LE-MSGNO
           END-IF
           IF LE-HAS-DDD = 'Y'
               IF LE-HAS-MONTH = 'Y' OR LE-HAS-DAY = 'Y'
                   MOVE 2518 TO LE-MSGNO
               END-IF
           ELSE
               IF LE-HAS-MONTH = 'N' OR LE-HAS-DAY = 'N'
                   MOVE 2518 TO LE-MSGNO
               END-IF
           END-IF.

       LE-PARSE.
           MOVE 0 TO LE-YEAR LE-MONTH LE-DAY LE-DDD LE-HOUR LE-MINUTE
               LE-SECOND LE-MILLI
           MOVE 'N' TO LE-YY
           MOVE 1 TO LE-J
           IF LE-TOK-KIND(1) NOT = 'LIT' OR LE-TOK-CH(1) NOT = SPACE
               PERFORM UNTIL LE-J > LE-IN-LEN
                   OR LE-IN-TXT(LE-J:1) NOT = SPACE
                   ADD 1 TO LE-J
               END-PERFORM
           END-IF
           PERFORM VARYING LE-K FROM 1 BY 1
               UNTIL LE-K > LE-TOK-N OR LE-MSGNO NOT = 0
               EVALUATE LE-TOK-KIND(LE-K)
               WHEN 'LIT'
                   IF LE-J <= LE-IN-LEN
                       ADD 1 TO LE-J
                   END-IF
               WHEN 'MMM'
               WHEN 'Mmm'
                   PERFORM LE-PARSE-NAME
               WHEN OTHER
                   PERFORM LE-PARSE-NUMBER
               END-EVALUATE
           END-PERFORM.

       LE-PARSE-NAME.
           IF LE-J + 2 > LE-IN-LEN
               MOVE 2507 TO LE-MSGNO
           ELSE
               MOVE FUNCTION UPPER-CASE(LE-IN-TXT(LE-J:3)) TO LE-NAME
               PERFORM VARYING LE-I FROM 1 BY 1
                   UNTIL LE-I > 12 OR LE-MON-NAME(LE-I) = LE-NAME
                   CONTINUE
               END-PERFORM
               IF LE-I > 12
                   MOVE 2517 TO LE-MSGNO
               ELSE
                   MOVE LE-I TO LE-MONTH
                   ADD 3 TO LE-J
               END-IF
           END-IF.

      * A number: when the picture has a delimiter and one (or the
      * end) follows, 1 to width digits; else exactly width digits.
       LE-PARSE-NUMBER.
           IF LE-J > LE-IN-LEN
               MOVE 2507 TO LE-MSGNO
           ELSE
               MOVE 'N' TO LE-FLEX
               IF LE-HAS-LIT = 'Y'
                   IF LE-K = LE-TOK-N
                       MOVE 'Y' TO LE-FLEX
                   ELSE
                       IF LE-TOK-KIND(LE-K + 1) = 'LIT'
                           MOVE 'Y' TO LE-FLEX
                       END-IF
                   END-IF
               END-IF
               MOVE 0 TO LE-VALUE LE-DIGITS
               IF LE-FLEX = 'Y'
                   PERFORM UNTIL LE-J > LE-IN-LEN
                       OR LE-DIGITS = LE-TOK-W(LE-K)
                       OR LE-IN-TXT(LE-J:1) < '0'
                       OR LE-IN-TXT(LE-J:1) > '9'
                       PERFORM LE-TAKE-DIGIT
                   END-PERFORM
                   IF LE-DIGITS = 0
                       MOVE 2520 TO LE-MSGNO
                   END-IF
               ELSE
                   IF LE-J + LE-TOK-W(LE-K) - 1 > LE-IN-LEN
                       MOVE 2507 TO LE-MSGNO
                   ELSE
                       PERFORM UNTIL LE-MSGNO NOT = 0
                           OR LE-DIGITS = LE-TOK-W(LE-K)
                           IF LE-IN-TXT(LE-J:1) < '0'
                              OR LE-IN-TXT(LE-J:1) > '9'
                               MOVE 2520 TO LE-MSGNO
                           ELSE
                               PERFORM LE-TAKE-DIGIT
                           END-IF
                       END-PERFORM
                   END-IF
               END-IF
               IF LE-MSGNO = 0
                   PERFORM LE-STORE-NUMBER
               END-IF
           END-IF.

       LE-TAKE-DIGIT.
           MOVE LE-IN-TXT(LE-J:1) TO LE-DIGIT
           COMPUTE LE-VALUE = LE-VALUE * 10 + LE-DIGIT
           ADD 1 TO LE-DIGITS LE-J.

       LE-STORE-NUMBER.
           EVALUATE LE-TOK-KIND(LE-K)
           WHEN 'YYYY'
               MOVE LE-VALUE TO LE-YEAR
               MOVE 'N' TO LE-YY
           WHEN 'YY'
               MOVE LE-VALUE TO LE-YEAR
               MOVE 'Y' TO LE-YY
           WHEN 'MM'
               MOVE LE-VALUE TO LE-MONTH
           WHEN 'DD'
               MOVE LE-VALUE TO LE-DAY
           WHEN 'DDD'
               MOVE LE-VALUE TO LE-DDD
           WHEN 'HH'
               MOVE LE-VALUE TO LE-HOUR
           WHEN 'MI'
               MOVE LE-VALUE TO LE-MINUTE
           WHEN 'SS'
               MOVE LE-VALUE TO LE-SECOND
           WHEN '9'
               COMPUTE LE-MILLI = LE-VALUE * 10 ** (3 - LE-DIGITS)
           END-EVALUATE.

      * The parsed parts to LE-LILIAN: a 2-digit year in the 100
      * years starting 80 years before the current year.
       LE-DAY-OF.
           IF LE-YY = 'Y'
               MOVE FUNCTION CURRENT-DATE TO LE-NOW
               COMPUTE LE-FIRST = LE-NOW-YEAR - 80
               COMPUTE LE-I = LE-FIRST / 100
               COMPUTE LE-YEAR = LE-I * 100 + LE-YEAR
               IF LE-YEAR < LE-FIRST
                   ADD 100 TO LE-YEAR
               END-IF
           END-IF
           EVALUATE TRUE
           WHEN LE-HAS-DDD = 'N' AND (LE-MONTH < 1 OR LE-MONTH > 12)
               MOVE 2517 TO LE-MSGNO
           WHEN LE-YEAR < 1582 OR LE-YEAR > 9999
               MOVE 2513 TO LE-MSGNO
           WHEN LE-HAS-DDD = 'Y'
               PERFORM LE-LEAP
               MOVE 365 TO LE-DIM
               IF LE-CH = 'Y'
                   MOVE 366 TO LE-DIM
               END-IF
               IF LE-DDD < 1 OR LE-DDD > LE-DIM
                   MOVE 2508 TO LE-MSGNO
               ELSE
                   MOVE 1 TO LE-MONTH LE-DAY
                   PERFORM LE-YMD-TO-LILIAN
                   COMPUTE LE-LILIAN = LE-LILIAN + LE-DDD - 1
               END-IF
           WHEN OTHER
               PERFORM LE-DAYS-IN-MONTH
               IF LE-DAY < 1 OR LE-DAY > LE-DIM
                   MOVE 2508 TO LE-MSGNO
               ELSE
                   PERFORM LE-YMD-TO-LILIAN
               END-IF
           END-EVALUATE
           IF LE-MSGNO = 0 AND LE-LILIAN < 1
               MOVE 2513 TO LE-MSGNO
           END-IF.

       LE-FORMAT.
           MOVE SPACES TO LE-OUT-TXT
           MOVE 0 TO LE-OUT-LEN
           PERFORM VARYING LE-K FROM 1 BY 1 UNTIL LE-K > LE-TOK-N
               EVALUATE LE-TOK-KIND(LE-K)
               WHEN 'LIT'
                   MOVE LE-TOK-CH(LE-K) TO LE-OUT-TXT(LE-OUT-LEN + 1:1)
               WHEN 'YYYY'
                   MOVE LE-YEAR TO LE-N4
                   MOVE LE-N4 TO LE-OUT-TXT(LE-OUT-LEN + 1:4)
               WHEN 'YY'
                   COMPUTE LE-N2 = FUNCTION MOD(LE-YEAR, 100)
                   MOVE LE-N2 TO LE-OUT-TXT(LE-OUT-LEN + 1:2)
               WHEN 'MM'
                   MOVE LE-MONTH TO LE-N2
                   MOVE LE-N2 TO LE-OUT-TXT(LE-OUT-LEN + 1:2)
               WHEN 'DD'
                   MOVE LE-DAY TO LE-N2
                   MOVE LE-N2 TO LE-OUT-TXT(LE-OUT-LEN + 1:2)
               WHEN 'DDD'
                   MOVE LE-DDD TO LE-N3
                   MOVE LE-N3 TO LE-OUT-TXT(LE-OUT-LEN + 1:3)
               WHEN 'MMM'
                   MOVE LE-MON-NAME(LE-MONTH)
                       TO LE-OUT-TXT(LE-OUT-LEN + 1:3)
               WHEN 'Mmm'
                   MOVE LE-MON-NAME(LE-MONTH)(1:1)
                       TO LE-OUT-TXT(LE-OUT-LEN + 1:1)
                   MOVE FUNCTION LOWER-CASE(LE-MON-NAME(LE-MONTH)(2:2))
                       TO LE-OUT-TXT(LE-OUT-LEN + 2:2)
               WHEN 'HH'
                   MOVE LE-HOUR TO LE-N2
                   MOVE LE-N2 TO LE-OUT-TXT(LE-OUT-LEN + 1:2)
               WHEN 'MI'
                   MOVE LE-MINUTE TO LE-N2
                   MOVE LE-N2 TO LE-OUT-TXT(LE-OUT-LEN + 1:2)
               WHEN 'SS'
                   MOVE LE-SECOND TO LE-N2
                   MOVE LE-N2 TO LE-OUT-TXT(LE-OUT-LEN + 1:2)
               WHEN '9'
                   COMPUTE LE-VALUE =
                       LE-MILLI / 10 ** (3 - LE-TOK-W(LE-K))
                   MOVE LE-VALUE TO LE-N3
                   MOVE LE-N3(4 - LE-TOK-W(LE-K):LE-TOK-W(LE-K))
                       TO LE-OUT-TXT(LE-OUT-LEN + 1:LE-TOK-W(LE-K))
               END-EVALUATE
               ADD LE-TOK-W(LE-K) TO LE-OUT-LEN
           END-PERFORM.

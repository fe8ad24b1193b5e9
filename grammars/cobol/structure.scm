; Program structure: where programs, sections and paragraphs begin. (Storage sections
; FDs and DECLARATIVES are read from their header lines, which holds where the grammar
; fails.)
(program_name) @program.name
(procedure_division) @procedure
(section_header) @section
(paragraph_header) @paragraph
(mnemonic_name_clause) @program.mnemonic
(class_name_clause) @program.class
(currency_sign_clause) @program.currency
(decimal_point_clause) @program.decimal_point
(alphabet_name_clause) @program.alphabet
(object_computer_sequence) @program.collating

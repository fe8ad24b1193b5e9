; Program structure: where programs, sections and paragraphs begin. (Storage sections
; FDs and DECLARATIVES are read from their header lines, which holds where the grammar
; fails.)
(program_name) @program.name
(procedure_division) @procedure
(section_header) @section
(paragraph_header) @paragraph

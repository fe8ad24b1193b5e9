; Program structure: where programs, sections and paragraphs begin.
(program_definition) @program
(program_name) @program.name
(procedure_division) @procedure
(procedure_declaratives) @declaratives
(section_header) @section
(paragraph_header) @paragraph
(working_storage_section) @storage.working
(local_storage_section) @storage.local
(linkage_section) @storage.linkage
(file_section) @storage.file

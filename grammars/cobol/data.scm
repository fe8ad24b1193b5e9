; Data division entries and file definitions.
(data_description) @data
(select_statement) @file.select
(file_description
  (file_description_entry) @file.fd.name) @file.fd

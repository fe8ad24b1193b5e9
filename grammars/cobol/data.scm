; Data division entries and SELECT statements.
(data_description) @data
(select_statement) @file.select

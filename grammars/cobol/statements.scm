; Procedure division statements, in source order. The grammar keeps statements flat under the
; procedure division (IF, EVALUATE and inline PERFORM are headers followed by their statements
; and an END-x or a period), so scope captures (@scope.open / @scope.close / @scope.period) let
; the extractor tell conditional statements from unconditional ones.

(call_statement) @call
(perform_statement_call_proc) @perform
(perform_statement_loop) @perform.inline
(sort_statement) @perform.sort
(merge_statement) @perform.sort
(goto_statement) @goto
(alter_statement) @goto.alter
(stop_statement) @stop
(goback_statement) @stop
(exit_statement) @exit

(open_statement) @io.open
(close_statement) @io.close
(read_statement) @io.read
(write_statement) @io.write
(rewrite_statement) @io.rewrite
(delete_statement) @io.delete
(start_statement) @io.start
(release_statement) @io.release
(return_statement) @io.return

(move_statement) @flow.move
(compute_statement) @flow.compute
(add_statement) @flow.add
(subtract_statement) @flow.subtract
(multiply_statement) @flow.multiply
(divide_statement) @flow.divide
(initialize_statement) @flow.initialize
(string_statement) @flow.string
(unstring_statement) @flow.unstring
(inspect_statement) @flow.inspect
(set_statement) @flow.set
(accept_statement) @flow.accept
(display_statement) @flow.display
(search_statement) @flow.search
(continue_statement) @continue

(if_header) @condition.if
(else_if_header) @condition.if
(evaluate_header) @condition.evaluate
(when) @condition.when
(when_other) @scope.branch
(else_header) @scope.branch

(at_end) @scope.handler
(not_at_end) @scope.handler
(invalid_key) @scope.handler
(not_invalid_key) @scope.handler
(on_size_error) @scope.handler
(not_on_size_error) @scope.handler
(on_exception) @scope.handler
(not_on_exception) @scope.handler
(on_overflow) @scope.handler
(not_on_overflow) @scope.handler
(eop) @scope.handler
(not_eop) @scope.handler

(period) @scope.period
(END_IF) @scope.close
(END_EVALUATE) @scope.close
(END_PERFORM) @scope.close
(END_READ) @scope.close
(END_WRITE) @scope.close
(END_REWRITE) @scope.close
(END_DELETE) @scope.close
(END_START) @scope.close
(END_SEARCH) @scope.close
(END_CALL) @scope.close
(END_COMPUTE) @scope.close
(END_ADD) @scope.close
(END_SUBTRACT) @scope.close
(END_MULTIPLY) @scope.close
(END_DIVIDE) @scope.close
(END_STRING) @scope.close
(END_UNSTRING) @scope.close

/// Tables: the one reader of delimited text (CSV, TSV, semicolon- and white-space-separated
/// files) behind both the corpus readers (`Corpora.DelimitedFile`) and the regression data
/// table (`MixedModels.DataTable`), with one set of missing-value markers and one number syntax.
///
/// The rules, in one place:
/// - **Separator** (`FieldSeparator.detect`): the most frequent of tab, comma and semicolon
///   outside quotes on the first non-blank line (ties: tab, comma, semicolon); with none of
///   them, runs of spaces and tabs. A reader may name the separator instead.
/// - **Quoting** (`Quoting.standard`): RFC 4180 in comma-, semicolon- and tab-separated text —
///   a field whose first non-blank character is `"` is quoted; `""` inside it is one `"`; it may
///   span lines; after the closing quote only blanks may come before the separator or the line
///   end (anything else is an error naming file, line and column). White-space-separated text
///   has no quoting. A corpus format whose files hold literal quotes (words such as `"Ah` in
///   Natural Stories' TSV) reads them with `.none`, which its reader states.
/// - **Lines**: LF or CRLF (a CR at the very end counts as a line end too); a UTF-8 byte-order
///   mark is skipped; blank lines are skipped; each record keeps the line it starts on.
/// - **Missing values** (`MissingValue`): after trimming blanks, the tokens in
///   `MissingValue.tokens` (empty, `NA`, `.`, `NaN`, `N/A`, `NULL`, and spreadsheet error values
///   such as `#N/A`).
/// - **Numbers** (`DecimalNumber`): R's `type.convert` syntax, read bit-identically to `Double`.
public enum TablesModule {}

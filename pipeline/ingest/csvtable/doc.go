// Package csvtable reads delimited text files (CSV as SAS and Excel export
// it for Danish users) as a table.Table.
//
// It owns everything about such a file below the meaning of its columns:
// gzip, the text encoding (UTF-8 or Windows-1252, transcoded to UTF-8),
// the separator and decimal mark (detected from the first 64 KiB unless
// given), the header row, RFC 4180 quoting as encoding/csv reads it, and
// where each row and field is for messages. Fields are delivered as raw
// text, untrimmed; parsing numbers and dates is the caller's.
//
// Problems are *table.Error values with the line and the 1-based byte
// column (in the UTF-8 text, after any transcoding) where known; the
// caller adds the file name. A row that cannot be split (a stray quote, the
// wrong number of fields) does not stop reading: it is delivered with
// Batch.RowErr set, and the caller decides.
//
// Reading is built for throughput: one goroutine reads blocks and cuts them
// at record boundaries, and up to the requested number of workers split
// them into rows over []byte without allocating per field, finding
// separators, line ends and quotes 16 bytes at a time (SSE2 on amd64, eight
// at a time in portable Go elsewhere). Field positions are recomputed only
// when a message needs them.
package csvtable

// Package arrowtable reads columnar files, Parquet and Arrow IPC (the file
// format, .arrow/.feather v2, and the stream format, .arrows), as a
// table.Table.
//
// It owns everything about such a file below the meaning of its columns:
// recognising the format, projecting the requested columns, decoding them
// row group by row group or record batch by record batch, mapping Arrow
// types to table kinds (strings and dictionaries to text; integers and
// booleans to integers; floats and decimals to floating point; dates and
// timestamps to UTC days), and turning truncated or corrupt input into a
// *table.Error instead of a panic. Values are read in place from Arrow
// buffers, without copying or allocating per value.
//
// Memory stays bounded by a few batches whatever the file size: nothing
// materialises the whole table. WriteParquet is the inverse for tests and
// fixture generators that hold plain slices.
package arrowtable

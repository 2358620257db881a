// Package arrowtable reads columnar files, Parquet and Arrow IPC (the file
// format, .arrow/.feather v2, and the stream format, .arrows), as a
// table.Table.
//
// It owns everything about such a file below the meaning of its columns:
// recognising the format, projecting the requested columns, decoding them
// row group by row group or record batch by record batch, mapping Arrow
// and Parquet types to table kinds (strings and dictionaries to text;
// integers and booleans to integers; floats and decimals to floating point;
// dates and timestamps to UTC days), and turning truncated or corrupt input
// into a *table.Error instead of a panic. Arrow values are read in place
// from Arrow buffers; Parquet values are decoded by the Parquet library's
// record readers and copied into buffers that serve batch after batch.
// Neither allocates per value.
//
// Memory stays bounded by a few batches whatever the file size: nothing
// materialises the whole table. WriteParquet is the inverse for tests and
// fixture generators that hold plain slices.
package arrowtable

package arrowtable

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// Before Arrow reads an IPC file or stream, the framing and metadata of
// every message are checked against the file size and the FlatBuffers
// schema of Arrow's Message.fbs, Schema.fbs and File.fbs (see flatbuf.go
// for why). Only metadata is read, a few hundred bytes per record batch,
// so the check costs nothing next to the read itself; and a stream cut
// short is reported at Open, before any batch has been handed out.

// Message header types (Message.fbs).
const (
	msgSchema     = 1
	msgDictionary = 2
	msgRecord     = 3
)

// Vtable slots of the tables checked, as numbered in the .fbs files.
const (
	messageHeaderType, messageHeader, messageBodyLength, messageMetadata = 1, 2, 3, 4
	schemaFields, schemaMetadata, schemaFeatures                         = 1, 2, 3
	fieldName, fieldTypeType, fieldType, fieldDictionary                 = 0, 2, 3, 4
	fieldChildren, fieldMetadata                                         = 5, 6
	dictEncodingIndexType                                                = 1
	recordLength, recordNodes, recordBuffers                             = 0, 1, 2
	recordCompression, recordVariadic                                    = 3, 4
	dictBatchData                                                        = 1
	footerSchema, footerDictionaries, footerRecords, footerMetadata      = 1, 2, 3, 4
	kvKey, kvValue                                                       = 0, 1
	timestampZone, unionTypeIDs                                          = 1, 1
	typeTimestamp, typeUnion                                             = 10, 14
	maxNesting                                                           = 64
)

// checkMessage checks message metadata whose body may have at most maxBody
// bytes; it returns the message type and body length. Every buffer of a
// record batch lies within the body, so only decompression can make Arrow
// allocate more than the file holds, and cappedAllocator bounds that.
func checkMessage(meta []byte, maxBody int64) (kind byte, body int64, err error) {
	f := newFbuf(meta)
	m, err := f.root()
	if err != nil {
		return 0, 0, err
	}
	if kind, err = m.u8(messageHeaderType); err != nil {
		return 0, 0, err
	}
	if body, err = m.i64(messageBodyLength); err != nil {
		return 0, 0, err
	}
	if body < 0 || body > maxBody {
		return 0, 0, errors.New("a message body runs past the end of the file")
	}
	if err := checkKeyValues(m, messageMetadata); err != nil {
		return 0, 0, err
	}
	h, ok, err := m.child(messageHeader)
	if err != nil || !ok {
		return 0, 0, errors.Join(errFlatbuf, err)
	}
	switch kind {
	case msgSchema:
		err = checkSchema(h)
	case msgDictionary:
		var data fbTable
		if data, ok, err = h.child(dictBatchData); err == nil && ok {
			err = checkRecordBatch(data, body)
		}
	case msgRecord:
		err = checkRecordBatch(h, body)
	default:
		err = fmt.Errorf("unexpected message type %d", kind)
	}
	return kind, body, err
}

func checkSchema(s fbTable) error {
	if err := s.tables(schemaFields, func(f fbTable) error { return checkField(f, 0) }); err != nil {
		return err
	}
	if _, _, err := s.vector(schemaFeatures, 8); err != nil {
		return err
	}
	return checkKeyValues(s, schemaMetadata)
}

func checkField(f fbTable, depth int) error {
	if depth > maxNesting {
		return errors.New("fields nested too deeply")
	}
	if _, _, err := f.vector(fieldName, 1); err != nil {
		return err
	}
	if err := checkType(f); err != nil {
		return err
	}
	if d, ok, err := f.child(fieldDictionary); err != nil {
		return err
	} else if ok {
		if _, _, err := d.child(dictEncodingIndexType); err != nil {
			return err
		}
	}
	if err := f.tables(fieldChildren, func(c fbTable) error { return checkField(c, depth+1) }); err != nil {
		return err
	}
	return checkKeyValues(f, fieldMetadata)
}

// checkType checks a field's type table; only timestamps (a time zone)
// and unions (type ids) refer to anything beyond scalars.
func checkType(f fbTable) error {
	tt, err := f.u8(fieldTypeType)
	if err != nil {
		return err
	}
	t, ok, err := f.child(fieldType)
	if err != nil || !ok {
		return err
	}
	switch tt {
	case typeTimestamp:
		_, _, err = t.vector(timestampZone, 1)
	case typeUnion:
		_, _, err = t.vector(unionTypeIDs, 4)
	}
	return err
}

func checkKeyValues(t fbTable, slot int) error {
	return t.tables(slot, func(kv fbTable) error {
		if _, _, err := kv.vector(kvKey, 1); err != nil {
			return err
		}
		_, _, err := kv.vector(kvValue, 1)
		return err
	})
}

// checkRecordBatch checks that the batch's length and nodes are not
// negative, that its buffers lie within its body, and that its variadic
// buffer counts (of string views) do not exceed its buffers.
func checkRecordBatch(r fbTable, body int64) error {
	if n, err := r.i64(recordLength); err != nil || n < 0 {
		return errors.Join(errors.New("bad record batch length"), err)
	}
	start, nodes, err := r.vector(recordNodes, 16)
	if err != nil {
		return err
	}
	for i := range nodes {
		if length, nulls := r.f.i64at(start+16*i), r.f.i64at(start+16*i+8); length < 0 || nulls < 0 {
			return errors.New("negative array length")
		}
	}
	start, bufs, err := r.vector(recordBuffers, 16)
	if err != nil {
		return err
	}
	for i := range bufs {
		off, size := r.f.i64at(start+16*i), r.f.i64at(start+16*i+8)
		if off < 0 || size < 0 || off > body || size > body-off {
			return errors.New("a buffer lies outside its message body")
		}
	}
	start, counts, err := r.vector(recordVariadic, 8)
	if err != nil {
		return err
	}
	for i := range counts {
		if c := r.f.i64at(start + 8*i); c < 0 || c > int64(bufs) {
			return errors.New("a variadic buffer count exceeds the buffers")
		}
	}
	_, _, err = r.child(recordCompression)
	return err
}

func (f *fbuf) i64at(pos int) int64 { return int64(binary.LittleEndian.Uint64(f.b[pos:])) }

// block is where a message of an IPC file is (File.fbs Block).
type block struct {
	offset int64
	meta   int64
	body   int64
}

// checkIPCFile checks the footer of an IPC file of size bytes and the
// metadata of every message it lists.
func checkIPCFile(f *os.File, size int64) error {
	footer, end, err := readFooter(f, size)
	if err != nil {
		return err
	}
	fb := newFbuf(footer)
	root, err := fb.root()
	if err != nil {
		return wrap(err, "%s: its footer cannot be read", corruptFile)
	}
	if s, ok, err := root.child(footerSchema); err != nil || !ok {
		return wrap(errors.Join(errFlatbuf, err), "%s: its schema cannot be read", corruptFile)
	} else if err := checkSchema(s); err != nil {
		return wrap(err, "%s: its schema cannot be read", corruptFile)
	}
	if err := checkKeyValues(root, footerMetadata); err != nil {
		return wrap(err, "%s: its footer cannot be read", corruptFile)
	}
	for _, list := range []struct {
		slot int
		kind byte
		what string
	}{{footerDictionaries, msgDictionary, "dictionary"}, {footerRecords, msgRecord, "record batch"}} {
		blocks, err := blocksOf(root, list.slot)
		if err != nil {
			return wrap(err, "%s: its footer cannot be read", corruptFile)
		}
		for i, b := range blocks {
			if err := checkBlock(f, b, end, list.kind); err != nil {
				return wrap(err, "%s: %s %d cannot be read", corruptFile, list.what, i+1)
			}
		}
	}
	return nil
}

// readFooter returns the footer's bytes and where the messages end.
func readFooter(f *os.File, size int64) ([]byte, int64, error) {
	const trailer = 10 // footer length and "ARROW1"
	var n [4]byte
	if _, err := f.ReadAt(n[:], size-trailer); err != nil {
		return nil, 0, err
	}
	length := int64(int32(binary.LittleEndian.Uint32(n[:])))
	end := size - trailer - length
	if length <= 0 || end < 8 {
		return nil, 0, errorf(0, "%s: its footer length is wrong", corruptFile)
	}
	footer := make([]byte, length)
	if _, err := f.ReadAt(footer, end); err != nil {
		return nil, 0, err
	}
	return footer, end, nil
}

func blocksOf(footer fbTable, slot int) ([]block, error) {
	start, n, err := footer.vector(slot, 24)
	if err != nil {
		return nil, err
	}
	blocks := make([]block, n)
	for i := range blocks {
		p := start + 24*i
		blocks[i] = block{offset: footer.f.i64at(p), meta: int64(int32(footer.f.u32(p + 8))), body: footer.f.i64at(p + 16)}
	}
	return blocks, nil
}

// checkBlock checks that a message lies before end and is of kind.
func checkBlock(f *os.File, b block, end int64, kind byte) error {
	if b.offset < 8 || b.meta < 8 || b.body < 0 || b.meta > end-b.offset || b.body > end-b.offset-b.meta {
		return errors.New("it lies outside the file")
	}
	if b.meta > maxMeta {
		return fmt.Errorf("it claims %d bytes of metadata", b.meta)
	}
	meta := make([]byte, b.meta)
	if _, err := f.ReadAt(meta, b.offset); err != nil {
		return err
	}
	// A message starts with a continuation marker and length, or, before
	// Arrow 0.15, with the length alone (as Arrow's file reader allows).
	switch binary.LittleEndian.Uint32(meta) {
	case 0:
	case 0xffffffff:
		meta = meta[8:]
	default:
		meta = meta[4:]
	}
	k, _, err := checkMessage(meta, b.body)
	if err == nil && k != kind {
		err = fmt.Errorf("unexpected message type %d", k)
	}
	return err
}

// checkIPCStream walks the messages of a stream of size bytes to its
// end-of-stream marker.
func checkIPCStream(f *os.File, size int64) error {
	pos := int64(0)
	for n := 0; ; n++ {
		meta, next, err := readMessageMeta(f, pos, size)
		if err != nil {
			return streamErr(err, n)
		}
		if meta == nil && n == 0 {
			return errorf(0, "%s: it has no schema", corruptStream)
		}
		if meta == nil {
			return nil // the end-of-stream marker
		}
		kind, body, err := checkMessage(meta, math.MaxInt64)
		switch {
		case err != nil:
			return wrap(err, "%s: message %d cannot be read", corruptStream, n+1)
		case (n == 0) != (kind == msgSchema):
			return errorf(0, "%s: message %d is of unexpected type %d", corruptStream, n+1, kind)
		case body > size-next:
			return streamErr(errTruncated, n)
		}
		pos = next + body
	}
}

// errTruncated is a stream or message that the file ends inside of.
var errTruncated = errors.New("truncated")

// streamErr reports a failure to read message n+1.
func streamErr(err error, n int) error {
	if errors.Is(err, errTruncated) {
		if n == 0 {
			return errorf(0, "truncated Arrow IPC stream: its schema is cut short")
		}
		return errorf(0, "truncated Arrow IPC stream: it ends after %s without the end-of-stream marker; "+
			"it was probably cut short while being copied or written", plural(n, "complete message"))
	}
	return wrap(err, "%s: message %d cannot be read", corruptStream, n+1)
}

// maxMeta is more metadata than any message has: even a schema of
// thousands of columns takes well under a megabyte. A longer length is
// corrupt, a shorter one past the end of the file a sign of truncation.
const maxMeta = 64 << 20

// readMessageMeta reads the framing and metadata of the message at pos; it
// returns nil metadata at the end-of-stream marker, and where the body
// starts.
func readMessageMeta(f io.ReaderAt, pos, size int64) (meta []byte, next int64, err error) {
	var buf [4]byte
	word := func() (int64, error) {
		if pos+4 > size {
			return 0, errTruncated
		}
		if _, err := f.ReadAt(buf[:], pos); err != nil {
			return 0, err
		}
		pos += 4
		return int64(binary.LittleEndian.Uint32(buf[:])), nil
	}
	length, err := word()
	if err == nil && length == 0xffffffff {
		length, err = word()
	}
	switch {
	case err != nil:
		return nil, 0, err
	case length == 0:
		return nil, pos, nil
	case length > maxMeta:
		return nil, 0, fmt.Errorf("a message claims %d bytes of metadata", int32(length))
	case length > size-pos:
		return nil, 0, errTruncated
	}
	meta = make([]byte, length)
	if _, err := f.ReadAt(meta, pos); err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, err
	}
	return meta, pos + length, nil
}

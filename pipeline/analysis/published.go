package analysis

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
)

// MarshalJSON writes the disclosed results whole, for rcteval serve and
// rcteval chart --results to draw charts from without the microdata:
// every exported field of Results in declaration order, but not the row
// accounting (it belongs to the report), with NaN as null and ±Inf as the
// text "+Inf" or "-Inf". Unexported fields (the counts disclosure control
// works from) are never written. The same results give the same bytes.
func (d *Disclosed) MarshalJSON() ([]byte, error) {
	r := d.r
	r.Accounting = nil
	var b bytes.Buffer
	if err := encodeValue(&b, reflect.ValueOf(r), "results"); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// UnmarshalDisclosed reads what MarshalJSON wrote. It holds the file to
// the rule every disclosed effect row keeps (no estimate from an arm of
// fewer than MinCell persons, no count shown of fewer), so that a file
// of undisclosed results is refused rather than published.
func UnmarshalDisclosed(b []byte) (*Disclosed, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("not the JSON of rcteval's results: %w", err)
	}
	d := &Disclosed{}
	if err := decodeValue(reflect.ValueOf(&d.r).Elem(), tree, "results"); err != nil {
		return nil, err
	}
	if err := d.checkDisclosed(); err != nil {
		return nil, err
	}
	d.r.CohortWeek = max(d.r.CohortWeek, -1)
	return d, nil
}

// checkDisclosed finds an effect row that disclosure control would have
// blanked.
func (d *Disclosed) checkDisclosed() error {
	m := d.r.Plan.MinCell
	if m <= 0 {
		return nil
	}
	check := func(table string, i int, e *Effect) error {
		small := func(n int) bool { return n > 0 && n < m }
		if (e.Estimated && (e.NTreatment < m || e.NControl < m)) || small(e.NTreatment) || small(e.NControl) {
			return fmt.Errorf("results.%s[%d] (%s, week %d) shows an arm of fewer than %d persons: these results have not been through disclosure control, and are not served", table, i, e.Outcome, e.Week, m)
		}
		return nil
	}
	for i := range d.r.Effects {
		if err := check("Effects", i, &d.r.Effects[i]); err != nil {
			return err
		}
	}
	for i := range d.r.Cohort {
		if err := check("Cohort", i, &d.r.Cohort[i]); err != nil {
			return err
		}
	}
	for i := range d.r.Subgroups {
		if err := check("Subgroups", i, &d.r.Subgroups[i].Effect); err != nil {
			return err
		}
	}
	return nil
}

// encodeValue writes v as JSON: structs as objects of their exported
// fields (an embedded struct as an object under its type's name), maps
// with their keys sorted, NaN as null and ±Inf as text.
func encodeValue(b *bytes.Buffer, v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Struct:
		b.WriteByte('{')
		t, n := v.Type(), 0
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if n++; n > 1 {
				b.WriteByte(',')
			}
			writeJSONString(b, f.Name)
			b.WriteByte(':')
			if err := encodeValue(b, v.Field(i), path+"."+f.Name); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeValue(b, v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("%s: a map whose keys are not text", path)
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.String(), b.String()) })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k.String())
			b.WriteByte(':')
			if err := encodeValue(b, v.MapIndex(k), path+"."+k.String()); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		return encodeValue(b, v.Elem(), path)
	case reflect.Float32, reflect.Float64:
		switch f := v.Float(); {
		case math.IsNaN(f):
			b.WriteString("null")
		case math.IsInf(f, 1):
			b.WriteString(`"+Inf"`)
		case math.IsInf(f, -1):
			b.WriteString(`"-Inf"`)
		default:
			b.Write(strconv.AppendFloat(nil, f, 'g', -1, 64))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.Write(strconv.AppendInt(nil, v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.Write(strconv.AppendUint(nil, v.Uint(), 10))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.String:
		writeJSONString(b, v.String())
	default:
		panic(fmt.Sprintf("analysis: %s: cannot write a %s as JSON", path, v.Kind()))
	}
	return nil
}

// writeJSONString writes s as a JSON string, without encoding/json's
// escapes of <, > and & ("count<5" stays readable).
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// decodeValue sets v from the JSON value x (decoded with UseNumber), the
// inverse of encodeValue: null is NaN for a float and nil for a slice,
// map or pointer; keys it does not know are left aside (a newer file).
// path names the place of an error.
func decodeValue(v reflect.Value, x any, path string) error {
	wrong := func(want string) error { return fmt.Errorf("%s: expected %s, got %s", path, want, jsonKind(x)) }
	switch v.Kind() {
	case reflect.Struct:
		obj, ok := x.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if y, found := obj[f.Name]; found && f.IsExported() {
				if err := decodeValue(v.Field(i), y, path+"."+f.Name); err != nil {
					return err
				}
			}
		}
	case reflect.Slice:
		if x == nil {
			v.SetZero()
			return nil
		}
		arr, ok := x.([]any)
		if !ok {
			return wrong("an array")
		}
		s := reflect.MakeSlice(v.Type(), len(arr), len(arr))
		for i, y := range arr {
			if err := decodeValue(s.Index(i), y, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Map:
		if x == nil {
			v.SetZero()
			return nil
		}
		obj, ok := x.(map[string]any)
		if !ok || v.Type().Key().Kind() != reflect.String {
			return wrong("an object")
		}
		m := reflect.MakeMapWithSize(v.Type(), len(obj))
		for k, y := range obj {
			e := reflect.New(v.Type().Elem()).Elem()
			if err := decodeValue(e, y, path+"."+k); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), e)
		}
		v.Set(m)
	case reflect.Pointer:
		if x == nil {
			v.SetZero()
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := decodeValue(p.Elem(), x, path); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Float32, reflect.Float64:
		switch y := x.(type) {
		case nil:
			v.SetFloat(math.NaN())
		case json.Number:
			f, err := strconv.ParseFloat(string(y), 64)
			if err != nil {
				return wrong("a number")
			}
			v.SetFloat(f)
		case string:
			switch y {
			case "+Inf":
				v.SetFloat(math.Inf(1))
			case "-Inf":
				v.SetFloat(math.Inf(-1))
			default:
				return wrong(`a number, null, "+Inf" or "-Inf"`)
			}
		default:
			return wrong("a number")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		y, ok := x.(json.Number)
		if !ok {
			return wrong("an integer")
		}
		n, err := strconv.ParseInt(string(y), 10, v.Type().Bits())
		if err != nil {
			return wrong("an integer")
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		y, ok := x.(json.Number)
		if !ok {
			return wrong("a whole number")
		}
		n, err := strconv.ParseUint(string(y), 10, v.Type().Bits())
		if err != nil {
			return wrong("a whole number")
		}
		v.SetUint(n)
	case reflect.Bool:
		y, ok := x.(bool)
		if !ok {
			return wrong("true or false")
		}
		v.SetBool(y)
	case reflect.String:
		y, ok := x.(string)
		if !ok {
			return wrong("text")
		}
		v.SetString(y)
	default:
		panic(fmt.Sprintf("analysis: %s: cannot read a %s from JSON", path, v.Kind()))
	}
	return nil
}

// jsonKind names the kind of a decoded JSON value, for errors.
func jsonKind(x any) string {
	switch y := x.(type) {
	case nil:
		return "null"
	case bool:
		return "true or false"
	case json.Number:
		return "the number " + string(y)
	case string:
		return strconv.Quote(y)
	case []any:
		return "an array"
	}
	return "an object"
}

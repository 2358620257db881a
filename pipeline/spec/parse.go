package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads the spec at path. Relative input paths are resolved against the
// spec file's directory (Input.Resolved, Spec.Path). On failure the error is
// Errors holding every problem found.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		cause := err
		var pe *fs.PathError
		if errors.As(err, &pe) {
			cause = pe.Err // the path is already in the message's prefix
		}
		return nil, Errors{{File: path, Msg: "cannot read the spec: " + cause.Error(), Err: err}}
	}
	return parse(path, filepath.Dir(path), data)
}

// Parse parses a spec from data; name is used in error messages and input
// paths are kept as written (Dir is ""). On failure the error is Errors
// holding every problem found.
func Parse(name string, data []byte) (*Spec, error) {
	return parse(name, "", data)
}

func parse(name, dir string, data []byte) (*Spec, error) {
	p := &parser{file: name, keyOf: map[*yaml.Node]*yaml.Node{}}
	root := p.document(data)
	if root == nil {
		return nil, p.finish()
	}
	s := Default()
	s.File, s.Dir = name, dir
	p.spec(root, s)
	if len(p.errs) > 0 {
		return nil, p.finish()
	}
	return s, nil
}

// parser walks the yaml.Node tree itself, rather than decoding into structs,
// so that every problem carries the position of its node and all problems
// are collected instead of the first.
type parser struct {
	file    string
	errs    Errors
	visits  int  // nodes looked at so far, against maxVisits
	stopped bool // maxVisits was passed: later problems are not recorded
	merged  int  // entries merged with <<, against maxMerged
	// keyOf maps a value read by fields to its key, so that "missing …"
	// problems of a mapping point at the key that introduced it.
	keyOf map[*yaml.Node]*yaml.Node
}

// keyFor returns the key node of a value read by fields, or the value.
func (p *parser) keyFor(v *yaml.Node) *yaml.Node {
	if k := p.keyOf[v]; k != nil {
		return k
	}
	return v
}

// Bounds that keep hostile YAML (alias or merge bombs, where a small file
// names a huge tree) cheap. A real spec has a few hundred nodes.
const (
	maxVisits     = 1000000
	maxMerged     = 10000
	maxMergeDepth = 8
)

// MaxWeeks bounds weeks, landmarks and pre_weeks (50 years): a typo must not
// stretch the dense person × week store over centuries.
const MaxWeeks = 2600

// maxRange bounds the codes one range "a-b" may expand to, and maxCodes
// those of all categories together (aliases can repeat a range): register
// code lists are hundreds long, so these catch only typos and abuse.
const (
	maxRange = 10000
	maxCodes = 100000
)

func (p *parser) fail(n *yaml.Node, path, format string, args ...any) {
	if p.stopped {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	e := &Error{File: p.file, Msg: msg}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

// finish sorts the problems by position and drops repeats (a value reached
// through several aliases is reported once).
func (p *parser) finish() Errors {
	type pos struct {
		line, col int
		msg       string
	}
	seen := map[pos]bool{}
	out := Errors{}
	for _, e := range p.errs {
		k := pos{e.Line, e.Column, e.Msg}
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	sortErrors(out)
	return out
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// document parses data into the spec's root mapping, or returns nil after
// recording why not.
func (p *parser) document(data []byte) (root *yaml.Node) {
	defer func() {
		// The YAML library is not ours; a panic on odd bytes must still end
		// as an error, never a crash.
		if r := recover(); r != nil {
			p.fail(nil, "", "invalid YAML: %v", r)
			root = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			p.fail(nil, "", "the spec is empty; expected a mapping with keys such as inputs and outcomes (see docs/spec.md)")
		} else {
			p.yamlError(err)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		at := &extra
		if at.Line == 0 && len(at.Content) > 0 {
			at = at.Content[0]
		}
		p.fail(at, "", "a spec is one YAML document; a second one starts here")
	} else if err != io.EOF {
		p.yamlError(err)
	}
	root = &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	root = p.deref(root)
	switch {
	case isNull(root):
		p.fail(nil, "", "the spec is empty; expected a mapping with keys such as inputs and outcomes (see docs/spec.md)")
		return nil
	case root.Kind != yaml.MappingNode:
		p.fail(root, "", "expected a mapping of spec keys such as inputs and outcomes, got %s", describe(root))
		return nil
	}
	return root
}

// yamlError turns a YAML syntax error into an Error with its line.
func (p *parser) yamlError(err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: "invalid YAML: " + m[2]})
		return
	}
	p.fail(nil, "", "invalid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// deref follows an alias to its anchored node. Every node the parser reads
// passes through here, so it also counts the work: past maxVisits it records
// one problem and returns null nodes, which end the walk quickly.
func (p *parser) deref(n *yaml.Node) *yaml.Node {
	p.visits++
	if p.visits > maxVisits {
		if !p.stopped {
			p.fail(n, "", "the spec is too large or repeats itself too often through aliases")
			p.stopped = true
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null") || n.Kind == 0
}

// describe names what a node holds, for "expected X, got Y".
func describe(n *yaml.Node) string {
	switch {
	case isNull(n):
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!int", "!!float", "!!bool":
		return n.Value
	}
	return strconv.Quote(n.Value)
}

// entry is one key of a mapping.
type entry struct {
	name     string
	key, val *yaml.Node
}

// entries returns the keys of mapping n in file order, merges (<<) applied,
// after reporting duplicate and non-scalar keys; ok is false when n is not a
// mapping (the caller reports that, knowing what was expected).
func (p *parser) entries(path string, n *yaml.Node) (es []entry, ok bool) {
	n = p.deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, false
	}
	return p.mappingEntries(path, n, 0), true
}

func (p *parser) mappingEntries(path string, n *yaml.Node, depth int) []entry {
	var own, merged []entry
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := p.deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.fail(k, path, "expected a key name, got %s", describe(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			merged = append(merged, p.merge(path, v, depth)...)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.fail(k, path, "duplicate key %q (first at line %d)", k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		own = append(own, entry{k.Value, k, v})
	}
	// As in YAML, keys written out win over merged ones.
	for _, e := range merged {
		if _, ok := seen[e.name]; !ok {
			seen[e.name] = e.key
			own = append(own, e)
		}
	}
	return own
}

// merge returns the entries of a << value: a mapping or a list of them.
func (p *parser) merge(path string, v *yaml.Node, depth int) []entry {
	v = p.deref(v)
	if depth >= maxMergeDepth {
		p.fail(v, path, "merges (<<) nested too deeply")
		return nil
	}
	sources := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		sources = v.Content
	}
	var out []entry
	for _, s := range sources {
		s = p.deref(s)
		if s.Kind != yaml.MappingNode {
			p.fail(s, path, "<< expects a mapping or a list of mappings, got %s", describe(s))
			continue
		}
		es := p.mappingEntries(path, s, depth+1)
		p.merged += len(es)
		if p.merged > maxMerged {
			p.fail(s, path, "too many merged keys (more than %d)", maxMerged)
			return out
		}
		for _, e := range es {
			if !containsEntry(out, e.name) { // the first source wins, as in YAML
				out = append(out, e)
			}
		}
	}
	return out
}

func containsEntry(es []entry, name string) bool {
	for _, e := range es {
		if e.name == name {
			return true
		}
	}
	return false
}

// fields reads a mapping with a fixed set of keys. It reports unknown keys
// with a suggestion and the allowed ones, and returns key → value for the
// keys whose value is not null (an empty value counts as not given). want
// describes the expected form for the error when n is not a mapping.
func (p *parser) fields(path string, n *yaml.Node, allowed []string, want string) (map[string]*yaml.Node, bool) {
	es, ok := p.entries(path, n)
	if !ok {
		p.fail(p.deref(n), path, "expected %s, got %s", want, describe(p.deref(n)))
		return nil, false
	}
	out := map[string]*yaml.Node{}
	for _, e := range es {
		if !containsString(allowed, e.name) {
			p.unknownKey(e.key, path, e.name, allowed, "allowed keys: "+list(allowed))
			continue
		}
		if v := p.deref(e.val); !isNull(v) {
			out[e.name] = v
			p.keyOf[v] = e.key
		}
	}
	return out, true
}

func (p *parser) unknownKey(k *yaml.Node, path, name string, candidates []string, allowed string) {
	where := ""
	if path == "" {
		where = " at the top level"
	}
	p.fail(k, path, "unknown key %q%s%s; %s", name, where, suggest(name, candidates), allowed)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// str returns a scalar's text; numbers and booleans count as their text, so
// arm labels and codes such as 1 or 523 need no quotes. what names the
// expected value ("a path").
func (p *parser) str(path string, n *yaml.Node, what string) (string, bool) {
	n = p.deref(n)
	if isNull(n) || n.Kind != yaml.ScalarNode {
		p.fail(n, path, "expected %s, got %s", what, describe(n))
		return "", false
	}
	return n.Value, true
}

// nonEmpty is str that also rejects "".
func (p *parser) nonEmpty(path string, n *yaml.Node, what string) (string, bool) {
	s, ok := p.str(path, n, what)
	if ok && strings.TrimSpace(s) == "" {
		p.fail(p.deref(n), path, "expected %s, got an empty string", what)
		return "", false
	}
	return s, ok
}

// enum returns a scalar that must be one of allowed; noun names it in the
// message ("unknown kind ...").
func (p *parser) enum(path string, n *yaml.Node, allowed []string, noun string) (string, bool) {
	s, ok := p.str(path, n, "one of "+list(allowed))
	if !ok {
		return "", false
	}
	if containsString(allowed, s) {
		return s, true
	}
	p.fail(p.deref(n), path, "unknown %s %q%s; expected one of %s", noun, s, suggest(s, allowed), list(allowed))
	return "", false
}

// number returns a finite number; example shows the expected form.
func (p *parser) number(path string, n *yaml.Node, example string) (float64, bool) {
	n = p.deref(n)
	if !isNull(n) && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!bool" {
		if f, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f, true
		}
	}
	hint := ""
	if n != nil && n.Kind == yaml.ScalarNode && strings.Contains(n.Value, ",") {
		hint = " (write numbers with a decimal point)"
	}
	p.fail(n, path, "expected a number such as %s, got %s%s", example, describe(n), hint)
	return 0, false
}

// integer returns a whole number; example shows the expected form.
func (p *parser) integer(path string, n *yaml.Node, example string) (int, bool) {
	n = p.deref(n)
	if !isNull(n) && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!bool" {
		if i, err := strconv.Atoi(strings.TrimSpace(n.Value)); err == nil {
			return i, true
		}
	}
	p.fail(n, path, "expected a whole number such as %s, got %s", example, describe(n))
	return 0, false
}

// boolean returns true or false.
func (p *parser) boolean(path string, n *yaml.Node) (bool, bool) {
	n = p.deref(n)
	if !isNull(n) && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		if b, err := strconv.ParseBool(strings.ToLower(n.Value)); err == nil {
			return b, true
		}
	}
	p.fail(n, path, "expected true or false, got %s", describe(n))
	return false, false
}

// scalarOrList returns the items of a list, or a scalar as a list of one.
func (p *parser) scalarOrList(n *yaml.Node) []*yaml.Node {
	n = p.deref(n)
	if n.Kind == yaml.SequenceNode {
		return n.Content
	}
	return []*yaml.Node{n}
}

// names returns a string or a list of strings, each checked by nonEmpty and
// unique within the list, with the node of each for later messages.
func (p *parser) names(path string, n *yaml.Node, what string) ([]string, []*yaml.Node, bool) {
	ok := true
	var out []string
	var nodes []*yaml.Node
	first := map[string]*yaml.Node{}
	isList := p.deref(n).Kind == yaml.SequenceNode
	for i, item := range p.scalarOrList(n) {
		ipath := path
		if isList {
			ipath = fmt.Sprintf("%s[%d]", path, i)
		}
		item = p.deref(item)
		s, good := p.nonEmpty(ipath, item, what)
		if !good {
			ok = false
			continue
		}
		if f, dup := first[s]; dup {
			p.fail(item, ipath, "%q is listed twice (first at line %d)", s, f.Line)
			ok = false
			continue
		}
		first[s] = item
		out = append(out, s)
		nodes = append(nodes, item)
	}
	return out, nodes, ok
}

// identifier is the form of category and outcome names: they end up in file
// names and CSV columns, where spaces and capitals cause trouble.
var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// language is a language code such as da or en.
var language = regexp.MustCompile(`^[a-z]{2,3}$`)

// texts reads a mapping of language code → display text.
func (p *parser) texts(path string, n *yaml.Node) map[string]string {
	es, ok := p.entries(path, n)
	if !ok {
		p.fail(p.deref(n), path, "expected a mapping of language to text such as {da: Timer, en: Hours}, got %s", describe(p.deref(n)))
		return nil
	}
	out := map[string]string{}
	for _, e := range es {
		if !language.MatchString(e.name) {
			p.fail(e.key, path, "unknown key %q; expected a language code such as da or en", e.name)
			continue
		}
		if t, ok := p.str(path+"."+e.name, e.val, "a text"); ok {
			out[e.name] = t
		}
	}
	return out
}

package reports

// Document is a report laid out as data, in its language, with every
// number already formatted: the HTML and the PDF report render the same
// Document, so the two cannot say different things.
type Document struct {
	Lang     Lang
	Title    string // e.g. "Effektevaluering: JobFirst"
	Subtitle string // the report's kind, e.g. "Midtvejsevaluering"
	Facts    []Fact // shown under the title: version, settings
	Sections []Section
}

// Fact is a term and its text, shown as a definition list.
type Fact struct{ Term, Text string }

// Section is a chapter (Level 1) or a section in it (Level 2). ID is unique
// in the document: the anchor of the table of contents.
type Section struct {
	ID     string
	Title  string
	Level  int
	Blocks []Block
}

// Block is one of Paragraph, Facts, List, Table and FigureBlock.
type Block interface{ block() }

// ParagraphStyle is how a paragraph is set.
type ParagraphStyle int

const (
	ParagraphPlain   ParagraphStyle = iota
	ParagraphNote                   // smaller, grey: explanations
	ParagraphWarning                // set off: a result to read with care
)

// Paragraph is a paragraph of plain text.
type Paragraph struct {
	Text  string
	Style ParagraphStyle
}

// FactList is a definition list.
type FactList struct{ Items []Fact }

// List is a bulleted list.
type List struct{ Items []string }

// Table is a table with formatted cells; Number is its number in the
// report (0 for none).
type Table struct {
	Number  int
	Caption string
	Columns []Column
	Rows    [][]Cell
	Note    string // under the table
}

// Column is a table column: numeric columns are right-aligned and sort by
// their cells' values.
type Column struct {
	Title   string
	Numeric bool
}

// Cell is a formatted table cell. Value orders numeric columns (NaN: no
// value); Suppressed marks a cell blanked by disclosure control; Group
// starts a new group of rows (a rule above it).
type Cell struct {
	Text       string
	Value      float64
	Suppressed bool
	Group      bool
}

// FigureBlock is a figure with its caption and a note under it.
type FigureBlock struct {
	Figure *Figure
	Note   string
}

func (Paragraph) block()   {}
func (FactList) block()    {}
func (List) block()        {}
func (Table) block()       {}
func (FigureBlock) block() {}

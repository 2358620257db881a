package parse

import (
	"strconv"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_THREAD, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var sink int
var sinkF float64

func TestZZCPU(t *testing.T) {
	const n = 20_000_000
	week, date, dmy := []byte("2016-W10"), []byte("2016-03-14"), []byte("14.03.2016")
	d75, d75c, d17, i7 := []byte("7.5"), []byte("7,5"), []byte("0.12345678901234567"), []byte("1234567")
	cases := []struct {
		name string
		f    func()
	}{
		{"ParseWeek(WeekISO)", func() { y, _, _ := ParseWeek(week, WeekISO, 0); sink += y }},
		{"ParseWeek(WeekDate,DMYDot)", func() { y, _, _ := ParseWeek(dmy, WeekDate, DateDMYDot); sink += y }},
		{"ParseDate(DateISO)", func() { y, _, _, _ := ParseDate(date, DateISO); sink += y }},
		{"ParseDecimal(7.5)", func() { f, _ := ParseDecimal(d75, false); sinkF += f }},
		{"ParseDecimal(7,5 comma)", func() { f, _ := ParseDecimal(d75c, true); sinkF += f }},
		{"ParseDecimal(17 digits)", func() { f, _ := ParseDecimal(d17, false); sinkF += f }},
		{"ParseInt(1234567)", func() { i, _ := ParseInt(i7); sink += int(i) }},
		{"ref strconv.ParseFloat(7.5)", func() { f, _ := strconv.ParseFloat("7.5", 64); sinkF += f }},
		{"ref strconv.Atoi(1234567)", func() { i, _ := strconv.Atoi("1234567"); sink += i }},
		{"ref time.Date().ISOWeek()", func() { y, _ := time.Date(2016, 3, 14, 0, 0, 0, 0, time.UTC).ISOWeek(); sink += y }},
	}
	for _, c := range cases {
		m := n
		if c.name == "ParseDecimal(17 digits)" {
			m = n / 10
		}
		start := cpuNow()
		for range m {
			c.f()
		}
		t.Logf("%-32s %6.1f ns/op (CPU)", c.name, float64(cpuNow()-start)/float64(m))
	}
}

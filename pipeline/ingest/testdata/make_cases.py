#!/usr/bin/env python3
"""Writes the ingest test cases: one folder per case under cases/, holding the
files that differ from the good trial (good/) and `want`: "error" or "ok" on
the first line, then one expected substring per line (of the error, or of the
notes and rejects). Run from this folder: python3 make_cases.py"""
import os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))

# The good trial: 12 persons randomised in 2016-W10/W11, weeks W10…W20.
persons = [(f"p{i:02d}", "treatment" if i % 2 else "control",
            "2016-03-07" if i < 6 else "2016-03-16", "north" if i % 3 else "south") for i in range(12)]
assignment = "person_id,arm,randomised_on,stratum\n" + "".join(",".join(p) + "\n" for p in persons)
rows = []
for i, (pid, arm, _, _) in enumerate(persons):
    for w in range(10, 21):
        hours = "7.5" if (i + w) % 4 == 0 else "0"
        status = ["benefit", "praktik", "", "wage_subsidy"][(i * w) % 4]
        if hours == "0" and status == "":
            continue
        rows.append(f"{pid},2016-W{w:02d},{hours},{status}\n")
weeks = "person_id,week,hours,status\n" + "".join(rows)

def write(path, text, encoding="utf-8"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text.encode(encoding) if isinstance(text, str) else text)

cases = {}
def case(name, want, assignment=None, weeks=None, spec=None, hours=None, raw_weeks=None):
    cases[name] = dict(want=want, assignment=assignment, weeks=weeks, spec=spec, hours=hours, raw_weeks=raw_weeks)

def sub_line(text, n, new):
    """Replaces line n (1-based) of text."""
    lines = text.splitlines(keepends=True)
    lines[n - 1] = new + "\n"
    return "".join(lines)

def weeks_line(n):
    return weeks.splitlines()[n - 1]

# The assignment.
case("missing_column", ["error", "assignment.csv:1:", 'missing column "arm"'],
     assignment="person_id,randomised_on\np01,2016-03-07\n")
case("unknown_arm", ["error", "assignment.csv:4:5:", 'unknown arm "placebo" (1 rows)', 'expected "treatment" for treatment or "control" for control'],
     assignment=sub_line(assignment, 4, "p02,placebo,2016-03-07,north"))
case("duplicate_person_same_arm", ["error", "assignment.csv:5:1:", "person id appears twice (first on line 2)"],
     assignment=sub_line(assignment, 5, "p00,control,2016-03-07,south"))
case("duplicate_person_other_arm", ["error", "assignment.csv:5:1:", "person id appears twice (first on line 2)"],
     assignment=sub_line(assignment, 5, "p00,treatment,2016-03-07,south"))
case("bad_date", ["error", "assignment.csv:3:", 'column "randomised_on"', "2016-02-30"],
     assignment=sub_line(assignment, 3, "p01,treatment,2016-02-30,north"))
case("empty_assignment", ["error", "assignment.csv", "empty"], assignment="")
case("no_persons", ["error", "assignment.csv", "no persons"], assignment="person_id,arm,randomised_on\n")
case("one_arm", ["error", "all 12 persons are in one arm (12 treatment, 0 control)"],
     assignment=assignment.replace(",control,", ",treatment,"))
case("randomised_decades_before", ["error", "assignment.csv:3:", "randomised in 1916-W09, more than a year before the first week with weekly data (2016-W10)"],
     assignment=sub_line(assignment, 3, "p01,treatment,1916-03-01,north"))
case("id_like_covariate", ["ok", 'column "cpr" looks like an id (12 distinct values in 12 rows): not used as a covariate'],
     assignment="".join(l.rstrip("\n") + ("," + ("cpr" if i == 0 else f"0101{i:02d}-12{i:02d}")) + "\n" for i, l in enumerate(assignment.splitlines(keepends=True))))
case("randomised_after_end", ["ok", "never at risk"],
     assignment=assignment + "p99,control,2016-12-01,north\n")

# Weeks.
case("week_53_in_52_week_year", ["error", "weeks.csv:3:", '"2016-W53"', "2016 has only 52 ISO weeks"],
     weeks=sub_line(weeks, 3, "p00,2016-W53,0,benefit"))
for fmt_name, good, bad, why in [
        ("iso", "2016-W{w:02d}", "2016-W1x", ""),
        ("compact", "2016W{w:02d}", "2016W5", ""),
        ("yyyyww", "2016{w:02d}", "201654", "52 ISO weeks"),
        ("dash", "2016-{w:02d}", "2016-00", ""),
        ("colon", "2016:{w:02d}", "+2016:10", ""),
        ("date", "2016-03-{d:02d}", "2016-03-32", "")]:
    text = "person_id,week,hours,status\n"
    for i, (pid, *_rest) in enumerate(persons):
        for w in range(11, 14):
            text += f"{pid},{good.format(w=w, d=w + 3)},1,benefit\n"
    text = sub_line(text, 5, f"p01,{bad},1,benefit")
    want = ["error", "weeks.csv:5:5:", f'"{bad}"'] + ([why] if why else [])
    case(f"week_{fmt_name}_bad", want, weeks=text)
case("week_signed", ["error", "weeks.csv:3:5:", '"+2016-W10"'], weeks=sub_line(weeks, 3, "p00,+2016-W10,0,benefit"))
case("week_after_today", ["error", "weeks.csv:3:5:", "week 2199-W01 is after today"],
     weeks=sub_line(weeks, 3, "p00,2199-W01,0,benefit"))
case("far_future_typo_week", ["ok", "the extract end is taken as 2016-W20", "2025-W10: 1 rows", "after_extract_end"],
     weeks=weeks + "p01,2025-W10,0,benefit\n")
case("negative_hours", ["error", "weeks.csv:3:", "negative hours"], weeks=sub_line(weeks, 3, "p00,2016-W10,-1,benefit"))
case("hours_above_168", ["error", "weeks.csv:3:", "200 hours in one week; a week has at most 168"],
     weeks=sub_line(weeks, 3, "p00,2016-W10,200,benefit"))
for name, value in [("text", "abc"), ("nan", "NaN"), ("inf", "Inf"), ("hex", "0x1p3"), ("huge", "1e400"), ("underscore", "1_000")]:
    case(f"hours_{name}", ["error", "weeks.csv:3:", f'"{value}"'], weeks=sub_line(weeks, 3, f"p00,2016-W10,{value},benefit"))
case("hours_decimal_comma_in_point_file", ["error", "weeks.csv:3:", "decimal comma"],
     weeks=sub_line(weeks, 3, 'p00,2016-W10,"7,5",benefit'))
case("many_bad_rows_listed", ["error", "3 problems in the input", "weeks.csv:3:", "weeks.csv:4:", "weeks.csv:5:"],
     weeks=sub_line(sub_line(sub_line(weeks, 3, "p00,2016-W10,-1,benefit"), 4, "p00,2016-W11,x,benefit"), 5, "p00,2016-W12,999,benefit"))
case("bad_rows_reject", ["ok", "malformed"], weeks=sub_line(weeks, 3, "p00,2016-W10,-1,benefit"),
     spec="bad_rows: reject\n")
case("ragged_row", ["error", "weeks.csv:3:", "wrong number of fields"], weeks=sub_line(weeks, 3, "p00,2016-W10,1"))
case("unknown_person_rejected", ["ok", "unknown_person"], weeks=weeks + "zz,2016-W12,4,\n", spec="max_missing: 1\n")
case("unknown_person_beyond_threshold", ["error", "1 distinct ids in the weekly data match no person", "max_missing"],
     weeks=weeks + "zz,2016-W12,4,\n")
case("leading_zeros_lost", ["error", "match once the leading zeros are restored"],
     assignment=assignment.replace("\np", "\n00"), weeks=weeks.replace("\np", "\n"))
case("persons_without_rows", ["error", "2 of 12 persons at risk", "have no row in the weekly data (1 treatment, 1 control)"],
     weeks="".join(l for l in weeks.splitlines(keepends=True) if not l.startswith(("p00,", "p01,"))))
case("header_only_weeks", ["error", "no rows for any week"], weeks="person_id,week,hours,status\n")
case("header_only_weeks_with_end", ["error", "12 of 12 persons at risk", "no row in the weekly data"],
     weeks="person_id,week,hours,status\n", spec="extract_end: 2016-W20\n")
case("empty_weeks", ["error", "weeks.csv", "empty"], weeks="")
case("extract_end_before_every_randomisation", ["error", "extract end 2015-W10 is before every randomisation"],
     spec="extract_end: 2015-W10\n")
case("extract_end_after_data", ["ok", "the extract end 2016-W30 is after the last week with data (2016-W20)"],
     spec="extract_end: 2016-W30\n")
for policy, want in [("reject", ["ok", "duplicate_person_week"]), ("sum", ["ok"]),
                     ("error", ["error", "weeks.csv:3:", "a second row for the same person and week 2016-W10"])]:
    case(f"duplicate_week_{policy}", want, weeks=weeks[: weeks.index("\n") + 1] + weeks_line(2) + "\n" + weeks[weeks.index("\n") + 1:],
         spec=f"duplicates: {policy}\n")
case("invalid_utf8_declared_utf8", ["error", "weeks.csv:2:17:", "invalid UTF-8 (byte 0xe6)"],
     raw_weeks=sub_line(weeks, 3, "p00,2016-W10,0,benefit").replace("p00,2016-W10,0,benefit", "p00,2016-W10,0,benefit").encode() .replace(b"p00,2016-W10,0,benefit", b"p00,2016-W10,0,b\xe6nefit"),
     spec="inputs:\n  weeks: {path: weeks.csv, encoding: utf-8}\n")
case("unmapped_status_code", ["error", 'status codes that map to no category: "999" (2)', "unmapped: benefit"],
     weeks=sub_line(sub_line(weeks, 3, "p00,2016-W10,0,999"), 4, "p00,2016-W11,0,999"),
     spec="status_codes:\n  praktik: [praktik]\n  wage_subsidy: [wage_subsidy]\n  benefit: [benefit]\n")
case("unmapped_counted_as_benefit", ["ok", "counted as benefit (unmapped: benefit)", '"999" (1)'],
     weeks=sub_line(weeks, 3, "p00,2016-W10,0,999"), spec="unmapped: benefit\n")
case("spec_names_missing_column", ["error", 'missing column "uge" (the spec\'s columns.week)'], spec="columns:\n  week: uge\n")

shutil.rmtree(os.path.join(HERE, "cases"), ignore_errors=True)
write(os.path.join(HERE, "cases", "good", "assignment.csv"), assignment)
write(os.path.join(HERE, "cases", "good", "weeks.csv"), weeks)
for name, c in cases.items():
    d = os.path.join(HERE, "cases", name)
    write(os.path.join(d, "want"), "\n".join(c["want"]) + "\n")
    if c["assignment"] is not None:
        write(os.path.join(d, "assignment.csv"), c["assignment"])
    if c["weeks"] is not None:
        write(os.path.join(d, "weeks.csv"), c["weeks"])
    if c["raw_weeks"] is not None:
        write(os.path.join(d, "weeks.csv"), c["raw_weeks"])
    if c["spec"] is not None:
        write(os.path.join(d, "spec.yaml"), c["spec"])
print(len(cases), "cases")

// Prints runs of Swift's general category for scalars assigned in Unicode 16.0 or
// earlier (per `Unicode.Scalar.Properties.age`) as "first last Category" lines, so
// gen_unicode_tables.py can record where Swift's newer data disagrees with 16.0.
// swiftc -O swift_categories.swift && ./swift_categories > swift_categories.txt
var run: (first: UInt32, last: UInt32, category: String)? = nil
func flush() {
  if let run { print(run.first, run.last, run.category) }
}
for value in UInt32(0)...0x10FFFF {
  guard let scalar = Unicode.Scalar(value), let age = scalar.properties.age,
    (age.major, age.minor) <= (16, 0)
  else { continue }
  let category = "\(scalar.properties.generalCategory)"
  if let current = run, current.last + 1 == value, current.category == category {
    run!.last = value
  } else {
    flush()
    run = (value, value, category)
  }
}
flush()

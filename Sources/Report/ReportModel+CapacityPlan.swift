import Scenario
extension ReportModel {
  /// What a capacity plan's page shows besides its charts and its fleet, already formatted by the plan:
  /// the report lays the tables out and knows nothing of requests or cores.
  public struct CapacityPlan: Sendable, Equatable {
    /// The width of one bin of the plan's series, in seconds.
    public var binSeconds: Double
    /// Further header facts after the standard ones (devices, planned duration, start, bin size, seed).
    public var facts: [Fact]
    /// The median, 99th percentile and peak of each figure.
    public var figures: Table
    /// What the storms did, one table per kind of storm; empty when the scenario has none.
    public var storms: [Table]
    /// The cores the peak takes.
    public var cores: Table
    /// The instances each tier needs, and what saturates first; empty for a plan without them.
    public var servers: [Table]

    public init(binSeconds: Double, facts: [Fact] = [], figures: Table, storms: [Table] = [], cores: Table, servers: [Table] = []) {
      self.binSeconds = binSeconds
      self.facts = facts
      self.figures = figures
      self.storms = storms
      self.cores = cores
      self.servers = servers
    }
  }

  /// One term of a page's header, such as "Edges: 64".
  public struct Fact: Sendable, Equatable {
    public var term: String
    public var value: String

    public init(_ term: String, _ value: String) {
      self.term = term
      self.value = value
    }
  }

  /// A table of text: the first column heads each row. Rows shorter than `columns` are padded with empty
  /// cells, so a ragged row still makes a well-formed table.
  public struct Table: Sendable, Equatable {
    /// A heading above the table; empty for none.
    public var title: String
    /// A sentence under the table that says what the columns mean.
    public var caption: String
    public var columns: [String]
    /// Indices of the columns that hold numbers (right-aligned).
    public var numericColumns: Set<Int>
    public var rows: [[String]]

    public init(title: String = "", caption: String = "", columns: [String], numericColumns: Set<Int> = [], rows: [[String]]) {
      self.title = title
      self.caption = caption
      self.columns = columns
      self.numericColumns = numericColumns
      self.rows = rows
    }
  }
}

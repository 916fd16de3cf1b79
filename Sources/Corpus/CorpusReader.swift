import Dispatch
import Foundation
import Synchronization

/// Reads input files and directories into a ``Corpus``.
///
/// Files are read in sorted path order and records in file order, so the result depends only on
/// the set of inputs. A bad record or file never stops the run: it becomes a ``Reject`` with
/// its location and reason.
public struct CorpusReader: Sendable {
    public let options: ReadOptions
    private let mapper: RecordMapper

    public init(options: ReadOptions = ReadOptions()) {
        self.options = options
        self.mapper = RecordMapper(fields: options.fields)
    }

    /// Reads every path (files and directories) and returns the corpus.
    ///
    /// Directories are walked recursively; hidden entries are skipped and a directory reached a
    /// second time through a symbolic link is not entered again. Files whose extension is not an
    /// input format are reported as `.skipped` rejects. The path `-` is standard input (see
    /// ``standardInputPath``); gzip and zstd inputs are inflated in memory.
    ///
    /// - Throws: ``CorpusError/missingInput(path:)`` for a path that does not exist; every
    ///   other problem becomes a ``Reject`` and the run goes on.
    /// - Parameter progress: called after each file with (files read, files in all).
    public func read(paths: [String], progress: ((Int, Int) -> Void)? = nil) throws(CorpusError) -> Corpus {
        var walk = InputWalk(excluding: options.excludedDirectories)
        for path in paths where path != Self.standardInputPath { try walk.add(path) }
        var rejects = walk.skipped
        let inputFiles = (walk.orderedFiles() + (paths.contains(Self.standardInputPath) ? [Self.standardInputPath] : [])).sorted()
        var filesDone = 0
        defer { progress?(filesDone, inputFiles.count) }

        var candidates: [Candidate] = []
        var files: [InputFile] = []
        for path in inputFiles {
            // Standard input is named `<stdin>` in every report: a bare `-` would start a
            // spreadsheet formula, and `<` is not a formula character.
            let file = path == Self.standardInputPath ? Self.standardInputName : path
            if filesDone > 0 { progress?(filesDone, inputFiles.count) }
            filesDone += 1
            let name = InputName(path: path, options: options)
            guard name.isInput else {
                rejects.append(Reject(source: SourceLocation(file: file, record: 0), severity: .skipped,
                                      reason: "not an input format (\(name.extensions.isEmpty ? "no extension" : name.extensions)), skipped"))
                continue
            }
            let data: Data
            do {
                data = try path == Self.standardInputPath ? Self.readStandardInput() : Self.load(path)
            } catch {
                rejects.append(Reject(source: SourceLocation(file: file, record: 0), severity: .rejected,
                                      reason: "cannot read the file: \(error.reason)"))
                continue
            }
            let decoded = Self.decode(data, name: name, options: options)
            var items: [MappedItem] = []
            if let format = decoded.format {
                do {
                    items = try Self.parse(decoded.data, format: format, file: file, mapper: mapper, options: options)
                } catch {
                    rejects.append(Reject(source: SourceLocation(file: file, line: error.line, record: 0),
                                          severity: .rejected, reason: error.reason))
                }
            } else if path == Self.standardInputPath {
                let reason = decoded.data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) })
                    ? "standard input is empty: nothing was piped in"
                    : "cannot tell the format of standard input from its first bytes; give --format (\(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
                rejects.append(Reject(source: SourceLocation(file: file, record: 0), severity: .rejected, reason: reason))
            } else {
                // A bare `.gz` found in a directory may be anything: like any other file that is
                // not an input, it is skipped.
                rejects.append(Reject(source: SourceLocation(file: file, record: 0), severity: .skipped,
                                      reason: "not an input format (\(name.extensions), inflated it starts as no feed, JSON or front matter), skipped; a CSV needs a name like dump.csv.gz"))
                continue
            }
            if let problem = decoded.problem {
                rejects.append(Reject(source: SourceLocation(file: file, record: 0), severity: .rejected,
                                      reason: "\((file as NSString).lastPathComponent): \(problem)"))
            }
            files.append(InputFile(path: file, format: decoded.formatName, bytes: data.count,
                                   sha256: StableHash.sha256Hex(chunks: Self.chunks(of: data)), records: items.count))
            // Item index -> candidate index (-1: none), to link `related` entries to the record
            // listing them.
            var candidateOfItem = [Int](repeating: -1, count: items.count)
            candidates.reserveCapacity(candidates.count + items.count)
            for index in items.indices {
                // Taken out of the array, not copied: a copy retains and later releases every
                // string of the record, on this one thread.
                switch items.take(index) {
                case .reject(let reject), .mapped(.rejected(let reject), _):
                    rejects.append(reject)
                case .mapped(.candidate(var candidate), let parentItem):
                    if let keep = options.keep, !keep(candidate.article.published, candidate.baseID) { continue }
                    candidate.parent = parentItem.flatMap { candidateOfItem[$0] >= 0 ? candidateOfItem[$0] : nil }
                    candidateOfItem[index] = candidates.count
                    candidates.append(candidate)
                }
            }
        }

        var corpus = Self.resolve(consume candidates)
        corpus.rejects = Self.ordered(rejects + corpus.rejects)
        corpus.files = files
        return corpus
    }

    // MARK: - Files

    private static func load(_ path: String) throws(FileProblem) -> Data {
        // open(2) first: its errno text ("Permission denied") says more than Foundation's wrapper.
        // Non-blocking, so that a FIFO put in place since the walk cannot hang the run here.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        if descriptor < 0 { throw FileProblem(reason: String(cString: strerror(errno))) }
        var status = stat()
        let kind = fstat(descriptor, &status) == 0 ? FileKind.notRegular(status.st_mode) : nil
        close(descriptor)
        if let kind { throw FileProblem(reason: "\(kind), not a regular file") }
        do {
            // Mapped, so a large JSON Lines file is paged in as it is read instead of copied.
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw FileProblem(reason: error.localizedDescription)
        }
    }

    /// A file's items with their records mapped to articles or rejects.
    static func parse(
        _ data: Data, format: InputFormat, file: String, mapper: RecordMapper, options: ReadOptions
    ) throws(FileProblem) -> [MappedItem] {
        let threads = options.threads
        // XML names its own encoding (UTF-16 has NUL bytes); libxml2 decodes it.
        if format == .feed { return map(FeedReader.read(data, file: file), with: mapper, threads: threads) }
        try TextCheck.checkNotBinary(data)
        let items: [Item]
        switch format {
        case .feed:
            preconditionFailure("feeds are read above")
        case .jsonLines:
            // Mapped as parsed, on the worker threads: no line's JSON tree outlives its line.
            return JSONLinesReader.read(data, file: file, threads: threads) { MappedItem($0, mapper: mapper) }
        case .json:
            _ = try TextCheck.decodeUTF8(data)
            items = try JSONFileReader.read(data, file: file, records: options.recordsKey, textKeys: textKeys(options.fields))
        case .frontMatter:
            items = FrontMatterReader.read(try TextCheck.decodeUTF8(data), file: file)
        case .csv:
            items = try CSVFileReader.read(data, file: file, delimiter: options.csvDelimiter ?? CSVFileReader.delimiter(named: file))
        }
        return map(items, with: mapper, threads: threads)
    }

    /// Maps every record to an article or a reject, in chunks on `threads` threads (URL rules
    /// and ids cost as much as parsing). Each outcome depends on its record alone, so the
    /// thread count never changes the result.
    private static func map(_ items: [Item], with mapper: RecordMapper, threads: Int) -> [MappedItem] {
        let chunkSize = 2_048
        let chunkCount = (items.count + chunkSize - 1) / chunkSize
        guard chunkCount > 1 && threads > 1 else { return items.map { MappedItem($0, mapper: mapper) } }
        let chunks = Mutex([[MappedItem]](repeating: [], count: chunkCount))
        DispatchQueue.concurrentPerform(iterations: min(threads, chunkCount)) { worker in
            var chunk = worker
            while chunk < chunkCount {
                let part = items[(chunk * chunkSize)..<min((chunk + 1) * chunkSize, items.count)]
                let mapped = part.map { MappedItem($0, mapper: mapper) }
                chunks.withLock { $0[chunk] = mapped }
                chunk += threads
            }
        }
        return chunks.withLock { $0.flatMap { $0 } }
    }

    private static func chunks(of data: Data) -> [Data] {
        let size = 1 << 20
        return stride(from: data.startIndex, to: data.endIndex, by: size).map {
            data[$0..<min($0 + size, data.endIndex)]
        }
    }

    /// Rejects by file and record; ties keep the order they were found in.
    private static func ordered(_ rejects: [Reject]) -> [Reject] {
        rejects.enumerated().sorted { a, b in
            if a.element.source.file != b.element.source.file { return a.element.source.file < b.element.source.file }
            if a.element.source.record != b.element.source.record { return a.element.source.record < b.element.source.record }
            return a.offset < b.offset
        }.map(\.element)
    }

    // MARK: - Ids and duplicates

    /// Picks the original of each exact-URL group, assigns unique ids, links `related` entries.
    private static func resolve(_ candidates: consuming [Candidate]) -> Corpus {
        // Exact URL duplicates: the most complete record of each canonical URL stays. Each URL is
        // hashed once: it names a group, and the group's winner is kept in an array.
        var groupOfURL = StringTable(capacity: candidates.count)
        var winnerOfGroup: [Int] = []
        var groupOf = [Int](repeating: -1, count: candidates.count)
        for index in candidates.indices {
            guard let url = candidates[index].article.canonicalURL else { continue }
            let (group, isNew) = groupOfURL.value(for: url, inserting: Int32(winnerOfGroup.count))
            groupOf[index] = Int(group)
            if isNew {
                winnerOfGroup.append(index)
            } else if candidates[index].isMoreComplete(than: candidates[winnerOfGroup[Int(group)]]) {
                winnerOfGroup[Int(group)] = index
            }
        }
        /// The original of candidate `index`'s URL group, `nil` without a URL.
        func winner(_ index: Int) -> Int? { groupOf[index] < 0 ? nil : winnerOfGroup[groupOf[index]] }
        let isOriginal = candidates.indices.map { index in winner(index).map { $0 == index } ?? true }

        // Originals get ids first so a duplicate never takes the plain id from its original.
        var ids = [String](repeating: "", count: candidates.count)
        var taken = StringTable(capacity: candidates.count)
        var nextSuffix: [String: Int] = [:]
        var rejects: [Reject] = []
        let order = candidates.indices.filter { isOriginal[$0] } + candidates.indices.filter { !isOriginal[$0] }
        for index in order {
            let base = candidates[index].baseID
            var id = base
            if !taken.value(for: base, inserting: 0).inserted {
                var suffix = nextSuffix[base] ?? 2
                while taken["\(base)~\(suffix)"] != nil { suffix += 1 }
                nextSuffix[base] = suffix + 1
                id = "\(base)~\(suffix)"
                taken.insert(id, value: 0)
            }
            ids[index] = id
        }
        for index in candidates.indices where ids[index] != candidates[index].baseID && candidates[index].hasOwnID {
            let candidate = candidates[index]
            // The same record twice (same id, same URL) is reported as a URL duplicate only.
            if let original = winner(index), original != index, candidates[original].baseID == candidate.baseID {
                continue
            }
            rejects.append(Reject(source: candidate.article.source, severity: .warning, articleID: ids[index],
                                  reason: "duplicate id '\(candidate.baseID)' (an earlier record has it); renamed to '\(ids[index])'"))
        }

        var corpus = Corpus()
        corpus.articles.reserveCapacity(candidates.count)
        for index in candidates.indices {
            var article = candidates.takeArticle(index)
            article.id = ids[index]
            article.listedBy = candidates[index].parent.map { ids[$0] }
            for warning in candidates[index].warnings {
                rejects.append(Reject(source: article.source, severity: .warning, articleID: article.id, reason: warning))
            }
            if isOriginal[index] {
                corpus.articles.append(article)
            } else if let original = winner(index) {
                corpus.urlDuplicates.append(URLDuplicate(article: article, originalID: ids[original]))
            }
        }
        corpus.rejects = rejects
        return corpus
    }
}

/// An item of a file with its record mapped: what the reader keeps of each line or entry.
enum MappedItem: Sendable {
    case reject(Reject)
    /// A record's outcome, and for a `related` entry the item index of the record listing it.
    case mapped(MapOutcome, parentItem: Int?)

    init(_ item: Item, mapper: RecordMapper) {
        switch item {
        case .reject(let reject): self = .reject(reject)
        case .record(let raw): self = .mapped(mapper.map(raw), parentItem: raw.parentItem)
        }
    }
}

extension Array where Element == MappedItem {
    /// Element `index`, left behind as an empty reject (whose strings are empty, so neither
    /// the swap nor the array's release later touches a reference count of the record's).
    mutating func take(_ index: Int) -> MappedItem {
        var taken = MappedItem.reject(Reject(source: SourceLocation(file: "", record: 0), severity: .warning, reason: ""))
        swap(&taken, &self[index])
        return taken
    }
}

extension Array where Element == Candidate {
    /// The article of candidate `index`, an empty one left in its place (see ``Array/take(_:)``).
    mutating func takeArticle(_ index: Int) -> Article {
        var taken = Article(id: "", source: SourceLocation(file: "", record: 0))
        swap(&taken, &self[index].article)
        return taken
    }
}

import Foundation

/// How an input is named, and its bytes made ready for a format reader: standard input,
/// compression, and formats told from the content.
extension CorpusReader {
    /// The path that stands for standard input, in arguments and in every report.
    public static let standardInputPath = "-"

    /// What an input's name says about it.
    struct InputName {
        /// The format the name gives; `nil` to tell it from the content.
        var format: InputFormat?
        var compression: Compression?
        /// Whether the input is read: a format extension, a compression extension alone
        /// (`dump.gz`), or standard input. Other files are skipped unread.
        var isInput: Bool
        /// The extensions, for the reason a file is skipped (`.tar.gz`).
        var extensions: String

        init(path: String, options: ReadOptions) {
            if path == CorpusReader.standardInputPath {
                self.init(format: options.standardInputFormat, compression: nil, isInput: true, extensions: "")
                return
            }
            let name = path as NSString
            let outer = name.pathExtension
            if let compression = Compression(extension: outer) {
                let inner = (name.deletingPathExtension as NSString).pathExtension
                let format = InputFormat(extension: inner)
                self.init(format: format, compression: compression, isInput: format != nil || inner.isEmpty,
                          extensions: inner.isEmpty ? "." + outer : ".\(inner).\(outer)")
            } else {
                let format = InputFormat(extension: outer)
                self.init(format: format, compression: nil, isInput: format != nil, extensions: outer.isEmpty ? "" : "." + outer)
            }
        }

        private init(format: InputFormat?, compression: Compression?, isInput: Bool, extensions: String) {
            self.format = format
            self.compression = compression
            self.isInput = isInput
            self.extensions = extensions
        }
    }

    /// An input's bytes once inflated, and the format they are read as.
    struct DecodedInput {
        var data: Data
        /// `nil` when neither the name nor the content tells.
        var format: InputFormat?
        var compression: Compression?
        /// Why the inflated bytes stop short, when they do.
        var problem: String?

        /// The format as `files` and `summary.json` name it: `jsonl`, or `jsonl+gzip`.
        var formatName: String {
            let base = format?.rawValue ?? "unknown"
            return compression.map { base + "+" + $0.rawValue } ?? base
        }
    }

    /// Inflates `data` when its name or its first bytes say it is compressed, and settles its
    /// format: the name's, else the one the (inflated) content shows.
    static func decode(_ data: Data, name: InputName, options: ReadOptions) -> DecodedInput {
        // The magic bytes win: `dump.jsonl` may be gzip, `dump.jsonl.gz` may be plain.
        guard let compression = Compression(magic: data) else {
            let problem = name.compression.map {
                "the name says \($0.rawValue) but the data does not start as \($0.rawValue) does; read as uncompressed"
            }
            return DecodedInput(data: data, format: name.format ?? InputFormat.detect(data), compression: nil, problem: problem)
        }
        let inflated = Decompressor.inflate(data, compression, limit: options.inflationLimit(compressedBytes: data.count))
        return DecodedInput(data: inflated.data, format: name.format ?? InputFormat.detect(inflated.data),
                            compression: compression, problem: inflated.problem)
    }

    /// Everything on standard input.
    static func readStandardInput() throws(FileProblem) -> Data {
        do {
            return try FileHandle.standardInput.readToEnd() ?? Data()
        } catch {
            throw FileProblem(reason: "cannot read standard input: \(error.localizedDescription)")
        }
    }

    /// Lower-cased top-level keys that make a JSON object an article rather than an envelope.
    static func textKeys(_ fields: FieldMap) -> Set<String> {
        Set(["title", "excerpt", "body"].flatMap { fields.keys(for: $0) }.compactMap {
            $0.split(separator: ".").first.map { $0.lowercased() }
        })
    }
}

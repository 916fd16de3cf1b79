@testable internal import Corpus
internal import Foundation

/// What every fuzz target does with libFuzzer's bytes: read them as one input file through the
/// same path as ``CorpusReader`` (binary and UTF-8 checks, the format reader, then the record
/// mapping), and trap when the result breaks the reader's promises.
public enum FuzzInput {
    /// Reads `size` bytes at `bytes` as a file with extension `ext` and checks the outcome.
    ///
    /// Traps (which libFuzzer reports as a crash) when a reject or file problem has no reason,
    /// names another file, or a `related` entry points at an item after it.
    /// - Returns: 0, what libFuzzer expects of an input it may keep in its corpus.
    public static func read(_ bytes: UnsafePointer<UInt8>?, _ size: Int, ext: String) -> CInt {
        guard let format = InputFormat(extension: ext) else { preconditionFailure("no input format for .\(ext)") }
        let file = "fuzz.\(ext)"
        let data = bytes.map { Data(bytes: $0, count: size) } ?? Data()
        let items: [MappedItem]
        do throws(FileProblem) {
            items = try CorpusReader.parse(data, format: format, file: file,
                                           mapper: RecordMapper(fields: FieldMap.standard), options: ReadOptions())
        } catch {
            precondition(!error.reason.isEmpty, "a file problem without a reason")
            return 0
        }
        for (index, item) in items.enumerated() {
            switch item {
            case .reject(let reject), .mapped(.rejected(let reject), _):
                precondition(!reject.reason.isEmpty, "item \(index): a reject without a reason")
                precondition(reject.source.file == file, "item \(index): a reject naming \(reject.source.file)")
            case .mapped(.candidate(let candidate), let parentItem):
                precondition(!candidate.baseID.isEmpty, "item \(index): an article without an id")
                precondition(candidate.article.source.file == file, "item \(index): an article naming \(candidate.article.source.file)")
                if let parentItem { precondition(parentItem < index, "item \(index): listed by later item \(parentItem)") }
            }
        }
        return 0
    }

    /// Canonicalizes the bytes as a URL (when they are UTF-8) and traps unless the result is an
    /// `https` URL without a fragment, and the same as the general rules alone give (the byte
    /// path for ASCII URLs must agree with them).
    ///
    /// Not checked: that the host is a valid one (`https://::e/` keeps the host `:`), or that the
    /// canonical form canonicalizes to itself. The rules run once, in
    /// order, so `m.m.example.com` -> `m.example.com` or `/a.amp.amp.html` -> `/a.amp.html`;
    /// the key is only ever made from the URL as given.
    public static func canonicalize(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let url = String(validating: UnsafeBufferPointer(start: bytes, count: bytes == nil ? 0 : size), as: UTF8.self)
        else { return 0 }
        guard let canonical = URLCanonicalizer.canonicalize(url) else {
            precondition(URLCanonicalizer.canonicalizeByRules(url) == nil, "\(url.debugDescription): the rules take it, the byte path does not")
            return 0
        }
        precondition(URLCanonicalizer.canonicalizeByRules(url) == canonical, "\(url.debugDescription): the byte path and the rules differ")
        let utf8 = Array(canonical.utf8)
        precondition(utf8.starts(with: "https://".utf8), "canonical URL \(canonical.debugDescription) is not https")
        precondition(!utf8.contains(UInt8(ascii: "#")), "canonical URL \(canonical.debugDescription) keeps a fragment")
        return 0
    }
}

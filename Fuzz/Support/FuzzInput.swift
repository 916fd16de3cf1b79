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

extension FuzzInput {
    /// Streams the bytes through ``InflatingReader`` as gzip and as zstd, in buffers of a few
    /// sizes, and traps when a read returns more than its buffer, a failure has no reason, or
    /// two buffer sizes disagree on the bytes or on whether the stream is damaged. Stops after 8 MiB of output (a bomb is fine: it
    /// is streamed, never held).
    public static func inflate(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let path = NSTemporaryDirectory() + "/fuzz-inflate-\(getpid())"
        precondition(FileManager.default.createFile(atPath: path, contents: bytes.map { Data(bytes: $0, count: size) } ?? Data()), "cannot write the fuzz file")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for compression in [Compression.gzip, .zstd] {
            var outcomes: [(data: Data, failed: Bool, cut: Bool)] = []
            for chunk in [1, 37, 65_536] {
                // Byte by byte only the start: a bomb read one byte a call would time out.
                let limit = chunk == 1 ? 1 << 16 : 8 << 20
                let descriptor = open(path, O_RDONLY)
                precondition(descriptor >= 0, "cannot open the fuzz file")
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 1)
                defer { buffer.deallocate() }
                var out = Data()
                var failed = false
                do throws(InflatingReader.Failure) {
                    let reader = try InflatingReader(descriptor: descriptor, compression: compression)
                    while out.count < limit {
                        let count = try reader.read(into: buffer)
                        precondition(count >= 0 && count <= chunk, "a read of \(count) bytes into \(chunk)")
                        if count == 0 { break }
                        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                    }
                } catch {
                    precondition(!error.reason.isEmpty, "a failure without a reason")
                    failed = true
                }
                outcomes.append((out.prefix(1 << 16), failed, out.count >= limit))
            }
            // What comes out does not depend on the buffer size, nor does whether the stream is
            // damaged (among the reads that reached its end). How much comes out before damage
            // may: zstd hands out a block before the frame's checksum fails it.
            let shortest = outcomes.map(\.data.count).min() ?? 0
            let whole = outcomes.filter { !$0.cut }
            for outcome in outcomes.dropFirst() {
                precondition(outcome.data.prefix(shortest) == outcomes[0].data.prefix(shortest), "\(compression): streams differ by buffer size")
            }
            for outcome in whole.dropFirst() {
                precondition(outcome.failed == whole[0].failed, "\(compression): the buffer size changes whether the stream fails")
                precondition(outcome.failed || outcome.data == whole[0].data, "\(compression): the buffer size changes the bytes")
            }
        }
        return 0
    }
}

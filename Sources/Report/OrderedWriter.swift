import Synchronization

/// One report file whose chunks are built on several threads and written in chunk order.
///
/// A thread that finishes a chunk hands it over; whichever thread finds the next chunk due
/// writes every chunk that is ready in order, while the others go on building. Only one thread
/// writes at a time (the `writing` flag, under the lock), so the file needs no lock of its own,
/// and the bytes are the same whatever the number of threads.
final class OrderedWriter: @unchecked Sendable {
    private let file: AtomicFile
    private let state = Mutex(State())

    private struct State {
        var ready: [Int: [UInt8]] = [:]
        var next = 0
        var writing = false
        var error: ReportError?
    }

    init(path: String) throws(ReportError) {
        file = try AtomicFile(path: path)
    }

    /// Hands over chunk `index` (chunks are numbered from 0 without gaps).
    func deliver(_ index: Int, _ chunk: [UInt8]) {
        let writer = state.withLock { state in
            state.ready[index] = chunk
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        guard writer else { return }
        while true {
            let due = state.withLock { state in
                var due: [[UInt8]] = []
                while let chunk = state.ready.removeValue(forKey: state.next) {
                    due.append(chunk)
                    state.next += 1
                }
                if due.isEmpty { state.writing = false }
                return due
            }
            guard !due.isEmpty else { return }
            for chunk in due {
                do {
                    try file.write(chunk: chunk)
                } catch {
                    state.withLock { state in
                        if state.error == nil { state.error = error }
                    }
                }
            }
        }
    }

    /// Records a failure to build a chunk; ``commit()`` reports it.
    func fail(_ error: ReportError) {
        state.withLock { state in
            if state.error == nil { state.error = error }
        }
    }

    /// Syncs and renames the file into place once all `chunkCount` chunks have been written;
    /// throws the first failure instead (the temporary file is then removed).
    func commit(chunkCount: Int) throws(ReportError) {
        let (error, written) = state.withLock { state in (state.error, state.next) }
        if let error { throw error }
        precondition(written == chunkCount, "a chunk was never delivered")
        try file.commit()
    }
}

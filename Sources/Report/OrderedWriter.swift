import Synchronization

/// One report file whose chunks are built on several threads and written in chunk order.
///
/// A thread that finishes a chunk hands it over; whichever thread finds the next chunk due
/// writes every chunk that is ready in order, while the others go on building. Only one thread
/// writes at a time (the `writing` flag, under the lock), so the file needs no lock of its own,
/// and the bytes are the same whatever the number of threads. The thread that writes the last
/// chunk also waits for the disk (`fsync`), while the others build the next file.
final class OrderedWriter: @unchecked Sendable {
    private let file: AtomicFile
    private let chunkCount: Int
    private let state = Mutex(State())

    private struct State {
        var ready: [Int: [UInt8]] = [:]
        var next = 0
        var writing = false
        var error: ReportError?
    }

    init(path: String, chunkCount: Int) throws(ReportError) {
        file = try AtomicFile(path: path)
        self.chunkCount = chunkCount
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
                return (chunks: due, complete: state.next == chunkCount)
            }
            guard !due.chunks.isEmpty else { return }
            do throws(ReportError) {
                for chunk in due.chunks { try file.write(chunk: chunk) }
                if due.complete { try file.sync() }
            } catch {
                fail(error)
            }
        }
    }

    /// Records a failure to build a chunk; ``commit()`` reports it.
    func fail(_ error: ReportError) {
        state.withLock { state in
            if state.error == nil { state.error = error }
        }
    }

    /// Throws the first failure to build, write or sync the file.
    func check() throws(ReportError) {
        let (error, written) = state.withLock { state in (state.error, state.next) }
        if let error { throw error }
        precondition(written == chunkCount, "a chunk was never delivered")
    }

    /// Renames the file into place once all its chunks are written and synced; throws the first
    /// failure instead (the temporary file is then removed).
    func commit() throws(ReportError) {
        try check()
        try file.commit()
    }
}

/// A value computed once, by the first worker thread that asks for it; the others wait for it.
final class Once<Value: Sendable>: Sendable {
    private let make: @Sendable () -> Value
    private let slot = Mutex<Value?>(nil)

    init(_ make: @escaping @Sendable () -> Value) {
        self.make = make
    }

    var value: Value {
        slot.withLock { value in
            if let value { return value }
            let made = make()
            value = made
            return made
        }
    }
}

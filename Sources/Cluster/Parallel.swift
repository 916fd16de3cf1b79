import Dispatch
import Synchronization

/// Work spread over a fixed number of threads in a way that cannot change the result: every
/// item's output goes to its own slot, and the slots are read in item order. (Shared with
/// `Report` within the package.)
package enum Parallel {
    /// Runs `worker` once on each of `threads` threads (inline when there is one) and returns
    /// when all have finished. Workers share the items through a ``Chunks`` queue.
    package static func run(threads: Int, _ worker: @Sendable (_ worker: Int) -> Void) {
        if threads <= 1 {
            worker(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: threads, execute: worker)
        }
    }

    /// `transform(i)` for every `i` in `0..<count`, computed on up to `threads` threads.
    package static func map<T: Sendable>(_ count: Int, threads: Int, grain: Int = 256, _ transform: @Sendable (Int) -> T) -> [T] {
        let chunks = Chunks(count: count, grain: grain)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(buffer)
            run(threads: min(threads, chunks.chunkCount)) { _ in
                while let range = chunks.next() {
                    for i in range { slots.initialize(i, to: transform(i)) }
                }
            }
            initialized = count
        }
    }
}

/// A buffer that worker threads fill at disjoint indices: each index is written by one thread
/// only, and read after all the workers have finished.
package struct Slots<Element: Sendable>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Element>?
    package let count: Int

    package init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        base = buffer.baseAddress
        count = buffer.count
    }

    /// Initializes slot `i` of uninitialized memory.
    package func initialize(_ i: Int, to value: Element) {
        precondition(i >= 0 && i < count, "slot out of range")
        (base! + i).initialize(to: value)
    }

    /// Replaces the value in slot `i`.
    package func assign(_ i: Int, _ value: Element) {
        precondition(i >= 0 && i < count, "slot out of range")
        base![i] = value
    }
}

/// A value computed on another thread while the caller goes on: for work that one thread does
/// alone (the linkage), so that the other core computes what that work does not need. The value
/// does not depend on when it is read.
package final class Background<Value: Sendable>: @unchecked Sendable {
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    /// Starts `work`; with one thread it runs here and now.
    package init(threads: Int, _ work: @escaping @Sendable () -> Value) {
        guard threads > 1 else {
            result = work()
            done.signal()
            return
        }
        DispatchQueue.global().async {
            self.result = work()
            self.done.signal()
        }
    }

    /// The value, waiting for it when it is not ready yet.
    package var value: Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}

/// One value computed on a worker thread, read once ``Parallel/run(threads:_:)`` has returned
/// (which orders the write before the read).
package final class ResultSlot<Value: Sendable>: @unchecked Sendable {
    private var value: Value?

    package init() {}

    package func set(_ value: Value) {
        precondition(self.value == nil, "a result slot is written once")
        self.value = value
    }

    package var result: Value {
        guard let value else { preconditionFailure("the result was never set") }
        return value
    }
}

/// Consecutive ranges of `0..<count` handed out to whichever thread asks next.
package final class Chunks: Sendable {
    package let count: Int
    package let grain: Int
    private let taken = Atomic<Int>(0)

    package init(count: Int, grain: Int) {
        precondition(grain > 0, "a chunk holds at least one item")
        self.count = count
        self.grain = grain
    }

    package var chunkCount: Int { (count + grain - 1) / grain }

    /// The next unclaimed range, `nil` when all are taken.
    package func next() -> Range<Int>? {
        let chunk = taken.add(1, ordering: .relaxed).oldValue
        let start = chunk * grain
        guard start < count else { return nil }
        return start..<min(start + grain, count)
    }
}

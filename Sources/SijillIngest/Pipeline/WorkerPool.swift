import Foundation
import Synchronization

/// Runs jobs on dedicated threads, each with its own worker state (e.g. a Tesseract handle,
/// which is not thread-safe and is expensive to create). Blocking C calls stay off Swift's
/// cooperative thread pool.
enum WorkerPool {
    /// Runs `jobs` on `workers` threads, until done or `stop` says so (checked between jobs). `makeWorker` is called once per thread and returns the
    /// function that handles one job; if it throws, that thread does no work and the error is
    /// returned (other threads carry on).
    static func run<Job: Sendable>(
        _ jobs: [Job], workers: Int, stop: @escaping @Sendable () -> Bool = { false },
        makeWorker: @escaping @Sendable (Int) throws -> (Job) -> Void
    ) -> [any Error] {
        guard !jobs.isEmpty else { return [] }
        let next = Mutex(0)
        let errors = Mutex<[any Error]>([])
        let group = DispatchGroup()
        let count = min(workers, jobs.count)
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                let handle: (Job) -> Void
                do {
                    handle = try makeWorker(index)
                } catch {
                    errors.withLock { $0.append(error) }
                    return
                }
                while true {
                    let i = next.withLock { value -> Int in
                        defer { value += 1 }
                        return value
                    }
                    guard i < jobs.count, !stop() else { return }
                    handle(jobs[i])
                }
            }
            // Tesseract's recognisers recurse deeply; the default secondary-thread stack is small.
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        return errors.withLock { $0 }
    }
}

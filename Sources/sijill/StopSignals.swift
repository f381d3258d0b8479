import Foundation
import SijillIngest

/// SIGTERM and SIGINT for long-running commands (`watch`, `worker`): the pages under way are
/// finished, then the command stops. Keep the value alive while the command runs.
final class StopSignals {
    let cancellation = IngestCancellation()
    private var sources: [DispatchSourceSignal] = []

    init() {
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [cancellation] in
                ExitStatus.printNote("stopping: finishing the pages under way")
                cancellation.cancel()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit { sources.forEach { $0.cancel() } }
}

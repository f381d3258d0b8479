import CSijillAssets

/// Lowers the calling thread's scheduling priority (Linux: `setpriority` on the thread's own
/// ID changes that thread only). Background work (copies) then yields the cores to requests.
enum LowPriority {
    static let niceness: Int32 = 10

    static func applyToCurrentThread() {
        _ = sijill_lower_thread_priority(niceness)
    }
}

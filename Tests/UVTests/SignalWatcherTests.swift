import Glibc
import Testing
@testable import UV

@Suite struct SignalWatcherTests {
    /// Ensure that a raised SIGUSR1 reaches the watcher's callback on the loop, with its number.
    @Test func receivesRaisedSignal() throws {
        let loop = try Loop()
        var received: [Int32] = []
        let watcher = try SignalWatcher(loop: loop, signal: SIGUSR1) { received.append($0) }
        // The test runner's worker threads block SIGUSR1 (libdispatch does), and raise() targets this thread.
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        raise(SIGUSR1)
        #expect(run(loop) { !received.isEmpty })
        #expect(received == [SIGUSR1])
        watcher.close()
        watcher.close()
        #expect(loop.close())
    }

    /// Ensure that an invalid signal number is a thrown UVError, and nothing stays open.
    @Test func invalidSignalThrows() throws {
        let loop = try Loop()
        #expect(throws: UVError.self) { try SignalWatcher(loop: loop, signal: 12345) { _ in } }
        #expect(loop.close())
    }
}

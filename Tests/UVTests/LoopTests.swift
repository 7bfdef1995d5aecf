import Testing
@testable import UV

@Suite struct LoopTests {
    /// Ensure that a fresh loop closes cleanly with no handle open.
    @Test func createAndCloseClean() throws {
        let loop = try Loop()
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
        #expect(loop.close(), "closing twice is harmless")
    }

    /// Ensure that `close` closes handles still open (here a running timer) and still reports a clean close.
    @Test func closeClosesLeftoverHandles() throws {
        let loop = try Loop()
        let timer = LoopTimer(loop: loop)
        timer.start(afterMilliseconds: 60_000, repeatMilliseconds: 0) {}
        _ = LoopIterationHook(loop: loop) {}
        #expect(loop.openHandleCount == 2)
        #expect(loop.close())
        timer.stop()
        timer.close()
    }

    /// Ensure that `openHandleCount` counts handles until their close callback has run.
    @Test func openHandleCountFollowsClose() throws {
        let loop = try Loop()
        let timer = LoopTimer(loop: loop)
        #expect(loop.openHandleCount == 1)
        timer.close()
        timer.close()
        #expect(loop.openHandleCount == 1, "still closing")
        loop.runOnce(noWait: true)
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }

    /// Ensure that the loop time advances with updateTime and the high-resolution clock is monotonic.
    @Test func clocksAdvance() throws {
        let loop = try Loop()
        let start = Loop.hrtimeNanoseconds()
        let before = loop.now
        while Loop.hrtimeNanoseconds() - start < 2_000_000 {}
        #expect(loop.now == before, "uv_now is cached until the next iteration")
        loop.updateTime()
        #expect(loop.now >= before + 1)
        #expect(Loop.hrtimeNanoseconds() > start)
        #expect(loop.close())
    }

    /// Ensure that `stop` makes `run` return while handles are still active.
    @Test func stopEndsRun() throws {
        let loop = try Loop()
        let timer = LoopTimer(loop: loop)
        var ticks = 0
        timer.start(afterMilliseconds: 1, repeatMilliseconds: 1) {
            ticks += 1
            if ticks == 2 { loop.stop() }
        }
        loop.run()
        #expect(ticks == 2)
        timer.close()
        #expect(loop.close())
    }

    /// Ensure that a Loop dropped without close while a failed bind's handle is still closing deinitialises
    /// without crashing (its deinit finishes the pending close first).
    @Test func dropWithoutClose() throws {
        let holder = try Loop()
        let first = try TCPListener(loop: holder, host: "127.0.0.1", port: 0)
        try first.start { $0.close() }
        for _ in 0..<3 {
            let loop = try Loop()
            #expect(throws: UVError.self) { try TCPListener(loop: loop, host: "127.0.0.1", port: first.localPort) }
            #expect(loop.openHandleCount == 1, "the failed bind's handle is still closing")
        }
        first.close()
        #expect(holder.close())
    }
}

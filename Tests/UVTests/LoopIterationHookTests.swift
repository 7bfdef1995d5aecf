import Testing
@testable import UV

@Suite struct LoopIterationHookTests {
    /// Ensure that a started hook runs exactly once per loop iteration, and not after stop.
    @Test func runsOncePerIteration() throws {
        let loop = try Loop()
        var count = 0
        let hook = LoopIterationHook(loop: loop) { count += 1 }
        loop.runOnce(noWait: true)
        #expect(count == 0, "not started yet")
        hook.start()
        for _ in 0..<5 { loop.runOnce(noWait: true) }
        #expect(count == 5)
        hook.stop()
        loop.runOnce(noWait: true)
        #expect(count == 5)
        hook.close()
        #expect(loop.close())
    }

    /// Ensure that the hook runs after the I/O-phase callbacks of the same iteration (here a timer's).
    @Test func runsAfterTimersOfTheIteration() throws {
        let loop = try Loop()
        var order: [String] = []
        let hook = LoopIterationHook(loop: loop) { order.append("hook") }
        hook.start()
        hook.unref()
        let timer = LoopTimer(loop: loop)
        timer.start(afterMilliseconds: 0, repeatMilliseconds: 0) { order.append("timer") }
        loop.runOnce(noWait: false)
        #expect(order == ["timer", "hook"])
        loop.run()
        hook.close()
        timer.close()
        #expect(loop.close())
    }
}

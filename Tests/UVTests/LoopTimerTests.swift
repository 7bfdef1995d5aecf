import Testing
@testable import UV

@Suite struct LoopTimerTests {
    /// Ensure that a one-shot timer fires once, not before its delay, and `run` then returns.
    @Test func oneShotFiresOnce() throws {
        let loop = try Loop()
        let timer = LoopTimer(loop: loop)
        let start = loop.now
        var firedAt: [UInt64] = []
        timer.start(afterMilliseconds: 10, repeatMilliseconds: 0) { firedAt.append(loop.now) }
        loop.run()
        #expect(firedAt.count == 1)
        #expect(firedAt[0] >= start + 10)
        timer.close()
        loop.runOnce(noWait: true)
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }

    /// Ensure that a repeating timer keeps firing until stopped, and a stopped timer lets the loop exit.
    @Test func repeatingUntilStopped() throws {
        let loop = try Loop()
        let timer = LoopTimer(loop: loop)
        var count = 0
        timer.start(afterMilliseconds: 1, repeatMilliseconds: 1) {
            count += 1
            if count == 3 { timer.stop() }
        }
        loop.run()
        #expect(count == 3)
        timer.close()
        #expect(loop.close())
    }

    /// Ensure that an unref'ed timer does not keep the loop running.
    @Test func unrefDoesNotKeepLoopAlive() throws {
        let loop = try Loop()
        let timer = LoopTimer(loop: loop)
        var fired = false
        timer.start(afterMilliseconds: 60_000, repeatMilliseconds: 0) { fired = true }
        timer.unref()
        loop.run()
        #expect(!fired)
        timer.close()
        #expect(loop.close())
    }

    /// Ensure that a timer may close itself from its own callback, and starting a closed timer is ignored.
    @Test func closeFromCallback() throws {
        let loop = try Loop()
        let timer = LoopTimer(loop: loop)
        var count = 0
        timer.start(afterMilliseconds: 0, repeatMilliseconds: 1) {
            count += 1
            timer.close()
        }
        loop.run()
        timer.start(afterMilliseconds: 0, repeatMilliseconds: 0) { count += 100 }
        loop.run()
        #expect(count == 1)
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }
}

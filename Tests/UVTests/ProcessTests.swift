import Glibc
import Testing
@testable import UV

@Suite struct ProcessTests {
    /// Ensure that after ignoreSIGPIPE a SIGPIPE no longer kills the process.
    @Test func sigpipeIgnored() {
        UV.Process.ignoreSIGPIPE()
        #expect(raise(SIGPIPE) == 0)
    }

    /// Ensure that the resident set size is reported as a plausible positive number.
    @Test func residentMemory() {
        let bytes = UV.Process.residentMemoryBytes()
        #expect(bytes > 1 << 20)
        #expect(bytes < 1 << 40)
    }

    /// Ensure that raising the descriptor limit never lowers it.
    @Test func descriptorLimitRaised() {
        let before = UV.Process.fileDescriptorLimit()
        UV.Process.raiseFileDescriptorLimit()
        #expect(UV.Process.fileDescriptorLimit() >= before)
        #expect(before > 0)
    }
}

import HearthKit
import Synchronization
import Testing

struct DemoStoryTests {
    @Test func theDemoEndsWithEveryReplicaAgreeing() async throws {
        let lines = Mutex<[String]>([])
        let agreed = try await DemoStory { line in lines.withLock { $0.append(line) } }.run()
        let story = lines.withLock { $0.joined(separator: "\n") }
        #expect(agreed, "\(story)")
        #expect(story.contains("identical data"))
        #expect(story.contains("conflict"))
        #expect(story.contains("张伟"))
    }
}

import Foundation

/// Finds the built `hearth` executable for the end-to-end tests.
///
/// `swift test` builds every product of the package, `hearth` included, into the same products
/// directory as the test bundle (`<scratch>/<triple>/debug/`), whatever `--scratch-path` says.
/// So the binary is looked for beside the running test executable first; `HEARTH_BIN` overrides.
enum HearthBinary {
    struct NotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "the hearth executable was not found (looked in \(searched.joined(separator: ", "))); "
                + "build it with `swift build --product hearth` or set HEARTH_BIN to its path"
        }
    }

    static func locate() throws -> URL {
        let fileManager = FileManager.default
        if let override = ProcessInfo.processInfo.environment["HEARTH_BIN"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var directories: [URL] = []
        // Linux: the test runner is `<products>/HearthPackageTests.xctest`.
        if let executable = try? fileManager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first, first.contains("/") {
            directories.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        // macOS: `xctest` loads `<products>/HearthPackageTests.xctest` as a bundle.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        // Last resort: the default scratch path of the package this file belongs to.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        directories.append(packageRoot.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent("hearth")
            if fileManager.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw NotFound(searched: directories.map(\.path))
    }
}

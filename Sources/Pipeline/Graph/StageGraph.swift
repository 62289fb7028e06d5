import Foundation

/// What kind of work a stage is (sizes its cluster request and names its rows).
public enum StageKind: String, Sendable, CaseIterable {
    case corpus, tokenizer, lm, transfer, surprisal, regression
}

/// The typed work of one stage node: which model and regression it concerns. Grid expansion
/// of the analysis file simply yields more models, hence more nodes.
public enum StageWork: Sendable {
    case corpus
    case tokenizer
    case languageModel(AnalysisSpec.Model)
    /// The model's perplexity on every `[[evaluation_text]]`.
    case transfer(AnalysisSpec.Model)
    case surprisal(AnalysisSpec.Model)
    case regression(AnalysisSpec.Model, AnalysisSpec.Regression)

    public var kind: StageKind {
        switch self {
        case .corpus: return .corpus
        case .tokenizer: return .tokenizer
        case .languageModel: return .lm
        case .transfer: return .transfer
        case .surprisal: return .surprisal
        case .regression: return .regression
        }
    }
}

/// One node of the plan: its id (e.g. `regression:lstm:ols`), store key, whether the store
/// already has it, and the ids of the stages whose results it reads.
public struct PlannedStage: Sendable {
    /// The stage id, unique in the plan; `rtpipe stage run FILE ID` runs it.
    public let name: String
    public let key: String
    public let cached: Bool
    public let detail: String
    public let work: StageWork
    public let dependsOn: [String]

    public var kind: StageKind { work.kind }
    /// The key's short form, used in artefact, result and log names.
    public var shortKey: String { String(key.prefix(16)) }
}

/// The plan as a DAG: nodes in an order where every node comes after its dependencies.
public struct StageGraph: Sendable {
    public let nodes: [PlannedStage]

    /// Builds the graph, checking that ids are unique and every dependency is an earlier node.
    public init(_ nodes: [PlannedStage]) throws {
        var seen = Set<String>()
        for n in nodes {
            for d in n.dependsOn where !seen.contains(d) { throw PipelineError("internal: stage \(n.name) depends on \(d), which is not planned before it") }
            guard seen.insert(n.name).inserted else { throw PipelineError("two stages are named \(n.name); give every [[model]] and [[regression]] its own name") }
        }
        self.nodes = nodes
    }

    /// The node with this id.
    public func node(_ id: String) -> PlannedStage? { nodes.first { $0.name == id } }

    /// The nodes that read `id`'s results directly.
    public func dependents(of id: String) -> [PlannedStage] { nodes.filter { $0.dependsOn.contains(id) } }

    /// The plan as text: one line per stage with its key, cached or not, and what it depends on.
    public var text: String {
        nodes.map { s in
            "  \(s.cached ? "cached " : "to run ") \(s.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(s.detail)  [\(s.key.prefix(12))]"
                + (s.dependsOn.isEmpty ? "" : "\n           depends on: \(s.dependsOn.joined(separator: ", "))")
        }.joined(separator: "\n")
    }
}

import Cluster
import Corpus
import Vectors

/// `summary.json`: the run manifest.
///
/// Everything but the `run` object is a pure function of the inputs and parameters.
struct Summary: Encodable {
    let tool: Tool
    let parameters: RunParameters
    let inputs: [Input]
    let counts: RunCounts
    /// How the CSV reports treat cells that look like formulas, for ``ReportReader``.
    let csvFormulas: CSVFormulaPolicy
    let run: Run
    /// The shards a merged run was put together from (`nil`, and absent, for a plain run).
    var shards: [ShardRecord]?

    enum CodingKeys: String, CodingKey {
        case tool, parameters, inputs, counts, run, shards
        case csvFormulas = "csv_formulas"
    }

    struct Tool: Encodable {
        let name: String
        let version: String
    }

    struct Input: Encodable {
        let path: String
        let format: String
        let bytes: Int
        let sha256: String
        let records: Int
    }

    struct Run: Encodable {
        let seconds: [String: Rounded]
        let stages: [String]
        let threads: Int
        let blas: BLAS

        struct BLAS: Encodable {
            let library: String
            let config: String
            let coreType: String
            let threads: Int

            enum CodingKeys: String, CodingKey {
                case library, config, threads
                case coreType = "core_type"
            }
        }
    }

    init(result: RunResult, facts: RunFacts, formulas: CSVFormulaPolicy) {
        self.init(parameters: result.parameters, inputs: result.corpus.files, counts: RunCounts(result), facts: facts, formulas: formulas)
    }

    init(parameters: RunParameters, inputs: [InputFile], counts: RunCounts, facts: RunFacts, formulas: CSVFormulaPolicy) {
        csvFormulas = formulas
        tool = Tool(name: "storyclust", version: StoryClustVersion.current)
        self.parameters = parameters
        self.inputs = inputs.map {
            Input(path: $0.path, format: $0.format, bytes: $0.bytes, sha256: $0.sha256, records: $0.records)
        }
        self.counts = counts
        var seconds: [String: Rounded] = [:]
        for (stage, value) in facts.stageSeconds { seconds[stage] = Rounded(value) }
        seconds["total"] = Rounded(facts.stageSeconds.reduce(0) { $0 + $1.seconds })
        run = Run(
            seconds: seconds,
            stages: facts.stageSeconds.map(\.stage),
            threads: facts.threads,
            blas: Run.BLAS(library: facts.blas.library, config: facts.blas.config, coreType: facts.blas.coreType, threads: facts.blas.threads)
        )
    }
}

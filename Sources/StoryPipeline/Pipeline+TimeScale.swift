public import Cluster
public import Corpus
public import Vectors

extension Pipeline {
    /// Measures the corpus's story time scale on `found` (``StoryTimeScale``) and, when it
    /// calls for a shorter window than the settings', keeps only the pairs inside it and makes
    /// the linkage's means run over that window. `nil` when the adaptation is off. One pass over
    /// the pairs, counted in the `cluster` lap.
    public mutating func adaptWindow(
        _ found: inout PairSearch, corpus: Corpus, options clusterOptions: inout ClusterOptions
    ) -> StoryTimeScale.Measurement? {
        guard let rule = settings.storyTimeScale else { return nil }
        let published = corpus.articles.map(\.published)
        let measured = rule.measure(found.pairs, published: published, duplicateThreshold: settings.duplicateThreshold,
                                    window: settings.windowSeconds)
        if let window = measured.window, window != settings.windowSeconds {
            found.pairs = StoryTimeScale.inside(found.pairs, published: published, window: window)
            if clusterOptions.comparisonWindow != nil { clusterOptions.comparisonWindow = window }
        }
        if let median = measured.medianSeconds {
            let window = measured.window.map { "\($0) s" } ?? "none"
            progress.stage("story time scale: \(median) s over \(measured.pairs) confident pairs; window \(window)")
        }
        return measured
    }
}

// Fixtures run in parallel; tests that change process-wide torch state are marked NonParallelizable.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]

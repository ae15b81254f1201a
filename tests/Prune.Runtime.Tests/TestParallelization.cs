// libtorch's random generator and thread pool are process-wide: test classes running side by side would draw
// from each other's seeded streams (a determinism test could fail when another class initializes a model) and
// fight over the two cores. One class at a time keeps every seeded test deterministic.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

using System.Runtime.CompilerServices;

// The dataset cache's environment and npm command are injectable for tests, without changing the process's environment.
[assembly: InternalsVisibleTo("Prune.Runtime.Tests")]

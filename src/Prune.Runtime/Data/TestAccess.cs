using System.Runtime.CompilerServices;

// The dataset cache's environment and npm command are injectable for tests, without changing the process's environment.
[assembly: InternalsVisibleTo("Prune.Runtime.Tests")]

// The server's tests feed real MNIST test images (Mnist.TestImages) without loading TorchSharp.
[assembly: InternalsVisibleTo("Prune.Serving.Tests")]

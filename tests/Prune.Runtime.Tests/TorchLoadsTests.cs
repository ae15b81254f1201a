using static TorchSharp.torch;

namespace Prune.Runtime.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void Torch_computes()
    {
        using var t = ones(3, 3);
        Assert.Equal(9f, t.sum().item<float>());
    }
}

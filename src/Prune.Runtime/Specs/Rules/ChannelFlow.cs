namespace Prune.Specs.Rules;

/// <summary>What a layer does with the channels (or features) of its input: what filter pruning follows downstream of a
/// removed channel.</summary>
internal enum ChannelFlow
{
    /// <summary>Not known to filter pruning: removed channels cannot be followed through it.</summary>
    Unknown,
    /// <summary>Every output reads every input channel (Conv2D, Dense): a removed channel shrinks its input, and its own
    /// output channels are new ones (which filter pruning can remove).</summary>
    Mixes,
    /// <summary>Output channel c·m + k reads input channel c only (BatchNorm with m = 1, DepthwiseConv2D with its
    /// multiplier m): a removed channel removes its m output channels.</summary>
    PerChannel,
    /// <summary>Channels go through unchanged (pooling, Dropout; GlobalAveragePool2D leaves one value per channel).</summary>
    PassesThrough,
    /// <summary>[C, H, W] to [C·H·W], channel-major: channel c becomes the H·W features from c·H·W on.</summary>
    Flattens,
    /// <summary>Output channel c is the sum of every input's channel c (Add): the inputs' channels are one set, removed
    /// together from every layer that produces them.</summary>
    Joins,
}

/// <summary>The <see cref="ChannelFlow"/> of each layer kind, by the kind's name (<c>Conv2D</c>): one table the generator
/// and the runtime read alike.</summary>
internal static class ChannelFlows
{
    public static ChannelFlow Of(string kind) => kind switch
    {
        "Conv2D" or "Dense" => ChannelFlow.Mixes,
        "BatchNorm" or "DepthwiseConv2D" => ChannelFlow.PerChannel,
        "MaxPool2D" or "AveragePool2D" or "GlobalAveragePool2D" or "Dropout" => ChannelFlow.PassesThrough,
        "Flatten" => ChannelFlow.Flattens,
        "Add" => ChannelFlow.Joins,
        _ => ChannelFlow.Unknown,
    };
}

using System.Globalization;

namespace Prune.Training;

/// <summary>
/// Watches a fit's loss step by step and calls training diverged as soon as the loss stops being finite or grows by
/// orders of magnitude. A learning rate far too high does not always overflow: Adam at 1e6 keeps MNIST's loss finite
/// near 1e27 while the model learns nothing. The yardstick is the fit's first loss, but never less than the loss of a
/// model that guesses (ln of its number of classes), so fine-tuning that starts near zero loss may bump up as it prunes.
/// </summary>
internal sealed class LossWatch(double guessingLoss)
{
    /// <summary>Three orders of magnitude above the yardstick: far beyond any bump of healthy training.</summary>
    public const double GrowthLimit = 1000;

    private double _first = double.NaN;

    /// <summary>Throws <see cref="TrainingDivergedException"/> when <paramref name="loss"/>, the loss of <paramref name="step"/>, has diverged.</summary>
    public void Check(long step, float loss)
    {
        if (!float.IsFinite(loss)) throw new TrainingDivergedException(step, $"the loss is {loss}");
        if (double.IsNaN(_first)) _first = loss;
        if (loss > GrowthLimit * Math.Max(_first, guessingLoss))
        {
            throw new TrainingDivergedException(step, string.Create(CultureInfo.InvariantCulture,
                $"the loss grew from {_first:G3} to {loss:G3}, more than {GrowthLimit:N0} times what it started at"));
        }
    }
}

namespace Prune.LiteRt;

/// <summary>LiteRT cannot run here: no Node.js 20+, or <c>@litertjs/core</c> could not be found or installed.</summary>
internal sealed class LiteRtUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>LiteRT ran but failed: an operator failed to prepare, an error was logged, or the output had the wrong size.</summary>
internal sealed class LiteRtException(string message) : Exception(message);

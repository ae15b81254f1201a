namespace Prune.Tool;

/// <summary>A failure the user can act on: printed as one line (<c>dotnet prune: ...</c>) with exit code 1, never a stack trace.</summary>
internal sealed class ToolException(string message) : Exception(message);

namespace Prune.Serving;

/// <summary>TensorFlow Serving's error codes that this server answers with, and the HTTP status each maps to there
/// (its <c>ToHTTPStatusCode</c>), plus 413 for a body over the size limit, which the HTTP layer answers.</summary>
public enum ServingStatus
{
    /// <summary>INVALID_ARGUMENT: 400.</summary>
    InvalidArgument = 400,
    /// <summary>NOT_FOUND: 404.</summary>
    NotFound = 404,
    /// <summary>The request body exceeds the size limit: 413.</summary>
    PayloadTooLarge = 413,
    /// <summary>UNAVAILABLE: 503.</summary>
    Unavailable = 503,
    /// <summary>DEADLINE_EXCEEDED: 504.</summary>
    DeadlineExceeded = 504,
}

/// <summary>A request the server answers with <c>{"error": Message}</c> and <see cref="Status"/>'s HTTP status.</summary>
public sealed class ServingException(ServingStatus status, string message) : Exception(message)
{
    /// <summary>What went wrong, as TensorFlow Serving's error code.</summary>
    public ServingStatus Status { get; } = status;
}

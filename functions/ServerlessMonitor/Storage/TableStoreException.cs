namespace ServerlessMonitor.Storage;

public enum TableErrorKind
{
    NotFound,
    Conflict,
    PreconditionFailed,
    Throttled,
    BadRequest,
    Unavailable,
}

/// <summary>A storage failure both backends report the same way, so callers can react to the kind.</summary>
public sealed class TableStoreException(TableErrorKind kind, string message, int? failedOperationIndex = null, Exception? inner = null)
    : Exception(message, inner)
{
    public TableErrorKind Kind { get; } = kind;

    /// <summary>For batches: the index of the operation that failed, when the backend tells.</summary>
    public int? FailedOperationIndex { get; } = failedOperationIndex;
}

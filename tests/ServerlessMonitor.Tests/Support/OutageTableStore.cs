using Azure;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Tables;

namespace ServerlessMonitor.Tests.Support;

/// <summary>How the table service fails while <see cref="OutageTableStore"/> is down.</summary>
public enum StoreFault
{
    None,
    ServerBusy503,
    Internal500,
    Timeout,
}

/// <summary>
/// While <see cref="Fault"/> is set, every call (reads and writes) fails as the Azure table service's would,
/// mapped by the real <see cref="TableErrors"/>: 503 ServerBusy (throttled), 500 (unavailable), no answer (a timeout).
/// </summary>
public sealed class OutageTableStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private volatile StoreFault _fault;
    private int _refused;

    public StoreFault Fault { get => _fault; set => _fault = value; }

    public int Refused => _refused;

    public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        Check("get");
        return Inner.GetAsync(table, partitionKey, rowKey, ct);
    }

    public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null, IReadOnlyList<string>? select = null,
        string? continuationToken = null, CancellationToken ct = default)
    {
        Check("query");
        return Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
    }

    public override Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        Check("batch");
        return Inner.SubmitBatchAsync(table, operations, ct);
    }

    private void Check(string context)
    {
        var fault = _fault;
        if (fault == StoreFault.None)
        {
            return;
        }
        Interlocked.Increment(ref _refused);
        throw fault switch
        {
            StoreFault.ServerBusy503 => TableErrors.From(new RequestFailedException(503, "injected: server busy", "ServerBusy", null), context),
            StoreFault.Internal500 => TableErrors.From(new RequestFailedException(500, "injected: internal error", "InternalError", null), context),
            _ => TableErrors.Unreachable(new TaskCanceledException("injected: the request timed out"), context),
        };
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>Refuses every <paramref name="n"/>th read (a point read or a query page), as a store under pressure does; writes go through.</summary>
public sealed class EveryNthReadFailsStore(ITableStore inner, int n) : DelegatingTableStore(inner)
{
    private int _reads;

    public int Refused => _reads / n;

    public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default) =>
        Fails() ? throw Refusal() : Inner.GetAsync(table, partitionKey, rowKey, ct);

    public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null, IReadOnlyList<string>? select = null,
        string? continuationToken = null, CancellationToken ct = default) =>
        Fails() ? throw Refusal() : Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);

    private bool Fails() => Interlocked.Increment(ref _reads) % n == 0;

    private static TableStoreException Refusal() => new(TableErrorKind.Unavailable, "injected: every nth read refused");

    /// <summary>Wraps the app's own store (whichever backend its settings chose).</summary>
    public static void Install(IServiceCollection services, Func<ITableStore, ITableStore> wrap)
    {
        var original = services.Last(d => d.ServiceType == typeof(ITableStore));
        services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp => wrap((ITableStore)original.ImplementationFactory!(sp))));
    }
}

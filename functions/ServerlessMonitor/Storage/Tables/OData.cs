using System.Text;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// OData text the Table service parses: string literals, entity addresses, row-key range filters
/// and our continuation tokens. Every caller-supplied value goes through <see cref="Literal"/> or
/// <see cref="KeySegment"/>, so ids can't change the meaning of a filter or an address.
/// </summary>
internal static class OData
{
    /// <summary>A quoted OData string literal; single quotes are doubled, which is OData's only escape.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A key inside <c>(PartitionKey='…',RowKey='…')</c>: OData-escaped, then percent-encoded for the URL.</summary>
    public static string KeySegment(string value) => Uri.EscapeDataString(value.Replace("'", "''", StringComparison.Ordinal));

    public static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"{Uri.EscapeDataString(table)}(PartitionKey='{KeySegment(partitionKey)}',RowKey='{KeySegment(rowKey)}')";

    public static string RangeFilter(string partitionKey, RowKeyRange range)
    {
        var filter = new StringBuilder("PartitionKey eq ").Append(Literal(partitionKey));
        if (range.From is not null)
        {
            filter.Append(" and RowKey ge ").Append(Literal(range.From));
        }
        if (range.To is not null)
        {
            filter.Append(" and RowKey lt ").Append(Literal(range.To));
        }
        return filter.ToString();
    }

    /// <summary>
    /// Packs the service's NextPartitionKey/NextRowKey (opaque to us) into one token. Either may be
    /// absent; '\n' separates them because the service's markers never contain it.
    /// </summary>
    public static string? EncodeToken(string? nextPartitionKey, string? nextRowKey) =>
        nextPartitionKey is null && nextRowKey is null
            ? null
            : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{nextPartitionKey}\n{nextRowKey}"));

    public static (string? NextPartitionKey, string? NextRowKey) DecodeToken(string token)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw new TableStoreException(TableErrorKind.BadRequest, "continuation token is not valid");
        }
        var newline = text.IndexOf('\n');
        if (newline < 0)
        {
            throw new TableStoreException(TableErrorKind.BadRequest, "continuation token is not valid");
        }
        var pk = text[..newline];
        var rk = text[(newline + 1)..];
        return (pk.Length == 0 ? null : pk, rk.Length == 0 ? null : rk);
    }
}

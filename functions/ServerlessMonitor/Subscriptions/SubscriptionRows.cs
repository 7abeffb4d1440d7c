using System.Security.Cryptography;
using System.Text;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The layout of the Subscriptions table, in one place. Three partitions kinds:
/// <c>s-{service}</c> (or <c>s-_all</c>) rows keyed by id hold the subscriptions a fan-out reads in one scan;
/// <c>id</c> rows point from an id to its service (unsubscribe by id); <c>a-{hash of kind and address}</c> rows keyed by
/// service point to the id (idempotent add, remove by address) without storing the address in a key.
/// </summary>
internal static class SubscriptionRows
{
    public const string KindProperty = "Kind";
    public const string AddressProperty = "Address";
    public const string CreatedProperty = "Created";
    public const string FailuresProperty = "Failures";
    public const string DisabledProperty = "Disabled";
    public const string ServiceProperty = "Service";
    public const string IdProperty = "Id";

    public const string IdPartition = "id";

    private const string AllServicesKey = "_all";

    /// <summary>The partition of a service's subscriptions; "*" (all services) cannot collide with a service id ([a-z0-9-]).</summary>
    public static string ServicePartition(string service) => "s-" + ServiceKey(service);

    public static string ServiceKey(string service) => service == SubscriptionKinds.AllServices ? AllServicesKey : service;

    public static string ServiceOfKey(string key) => key == AllServicesKey ? SubscriptionKinds.AllServices : key;

    public static string AddressPartition(string kind, string address) =>
        "a-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + address)))[..40];

    /// <summary>22 url-safe characters of 128 random bits: unguessable, and valid in a URL path and a row key.</summary>
    public static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool IsWellFormedId(string? id) =>
        id is { Length: 22 } && id.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_');

    public static TableEntity Row(Subscription s) => new(ServicePartition(s.Service), s.Id, new Dictionary<string, object?>
    {
        [KindProperty] = s.Kind,
        [AddressProperty] = s.Address,
        [CreatedProperty] = s.Created,
        [FailuresProperty] = s.Failures,
        [DisabledProperty] = s.Disabled,
    });

    public static Subscription Read(TableEntity row) => new(row.RowKey, row.GetString(KindProperty) ?? "",
        ServiceOfKey(row.PartitionKey["s-".Length..]), row.GetString(AddressProperty) ?? "",
        row.GetDate(CreatedProperty) ?? DateTimeOffset.MinValue, (int)row.GetInt64(FailuresProperty), row.Get<bool>(DisabledProperty));

    public static TableEntity IdRow(string id, string service) =>
        new(IdPartition, id, new Dictionary<string, object?> { [ServiceProperty] = ServiceKey(service) });

    public static TableEntity AddressRow(string kind, string address, string service, string id) =>
        new(AddressPartition(kind, address), ServiceKey(service), new Dictionary<string, object?> { [IdProperty] = id });
}

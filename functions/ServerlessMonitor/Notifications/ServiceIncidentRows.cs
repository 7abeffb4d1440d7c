using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// The one row (<c>notify-incident</c> in the service's own partition, beside its service-level outbox rows) that
/// holds a service's incident, so its update and the events it raises go in one atomic batch.
/// </summary>
public static class ServiceIncidentRows
{
    public const string Key = "notify-incident";

    private const string IncidentProperty = "IncidentId";
    private const string StartProperty = "Start";
    private const string MembersProperty = "Members";
    private const string OpeningProperty = "OpeningEvent";
    private const string ClosedProperty = "ClosedIncident";
    private const string ClosedSecondsProperty = "ClosedSeconds";
    private const string RemindersProperty = "Reminders";
    private const string DependencyProperty = "Dependency";
    private const string DependantsProperty = "Dependants";

    public static ServiceIncident Read(TableEntity? row) => row is null ? ServiceIncident.None : new ServiceIncident(
        row.GetString(IncidentProperty),
        row.GetDate(StartProperty),
        JsonSerializer.Deserialize(row.GetString(MembersProperty) ?? "[]", NotificationsJsonContext.Default.IReadOnlyListIncidentMember) ?? [],
        row.GetString(OpeningProperty),
        row.GetString(ClosedProperty),
        row.GetDouble(ClosedSecondsProperty) is { } s ? TimeSpan.FromSeconds(s) : null)
    {
        Reminders = JsonSerializer.Deserialize(row.GetString(RemindersProperty) ?? "{}", NotificationsJsonContext.Default.DictionaryInt64Int32) ?? [],
        Dependency = row.GetString(DependencyProperty),
        Dependants = row.GetString(DependantsProperty) is { Length: > 0 } d ? d.Split(',') : [],
    };

    public static TableOperation Write(string service, ServiceIncident state, string? etag)
    {
        var row = new TableEntity(service, Key, new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [IncidentProperty] = state.IncidentId,
            [StartProperty] = state.Start,
            [MembersProperty] = JsonSerializer.Serialize(state.Members, NotificationsJsonContext.Default.IReadOnlyListIncidentMember),
            [OpeningProperty] = state.OpeningEvent,
            [ClosedProperty] = state.ClosedIncident,
            [ClosedSecondsProperty] = state.ClosedDuration?.TotalSeconds,
            [RemindersProperty] = JsonSerializer.Serialize(state.Reminders.ToDictionary(), NotificationsJsonContext.Default.DictionaryInt64Int32),
            [DependencyProperty] = state.Dependency,
            [DependantsProperty] = state.Dependants.Count > 0 ? string.Join(',', state.Dependants) : null,
        }) { ETag = etag };
        return etag is null ? TableOperation.Insert(row) : TableOperation.Update(row);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<IncidentMember>))]
[JsonSerializable(typeof(Dictionary<long, int>))]
internal sealed partial class NotificationsJsonContext : JsonSerializerContext;

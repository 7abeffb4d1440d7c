using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Incidents;

/// <summary>The endpoint's global state before and after a probe, and what that wrote.</summary>
public sealed record GlobalOutcome(
    GlobalState Previous,
    GlobalState State,
    GlobalView View,
    TableOperation StateOperation,
    IReadOnlyList<TableOperation> IncidentOperations,
    IReadOnlyList<AlertEvent> Alerts);

/// <summary>What one recorded probe changed. <see cref="Global"/> is null when the global state was not touched.</summary>
public sealed record RecordedProbe(
    ServiceDefinition Service,
    EndpointDefinition Endpoint,
    EndpointState Previous,
    EndpointState Current,
    Observation Observation,
    GlobalOutcome? Global);

using System.Runtime.CompilerServices;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// The attribute sets of the probe metrics, built once per endpoint and outcome/error kind instead of once per probe:
/// a steady probe records with an array it already has (no string lower-cased, no list filled). Keyed by the endpoint
/// definition itself, so a reloaded catalog's endpoints get new sets and the old ones go with their definitions.
/// </summary>
internal sealed class ProbeTagSets(string region, bool perEndpoint)
{
    private static readonly int Outcomes = Enum.GetValues<ProbeOutcome>().Length;

    // Slot 0 of each outcome is "no error kind"; the others are ErrorKind + 1.
    private static readonly int ErrorSlots = Enum.GetValues<ErrorKind>().Length + 1;

    private readonly ConditionalWeakTable<EndpointDefinition, KeyValuePair<string, object?>[]?[]> _sets = new();

    public KeyValuePair<string, object?>[] For(ServiceDefinition service, EndpointDefinition endpoint, ProbeOutcome outcome, ErrorKind? error)
    {
        var slot = Slot(outcome, error);
        if (slot < 0)
        {
            return Build(service, endpoint, outcome, error);
        }
        var sets = _sets.GetValue(endpoint, static _ => new KeyValuePair<string, object?>[]?[Outcomes * ErrorSlots]);
        // Two probes racing on the first use both build an equal set; either one is kept.
        return sets[slot] ??= Build(service, endpoint, outcome, error);
    }

    private static int Slot(ProbeOutcome outcome, ErrorKind? error)
    {
        var o = (int)outcome;
        var e = error is { } kind ? (int)kind + 1 : 0;
        return o >= 0 && o < Outcomes && e >= 0 && e < ErrorSlots ? o * ErrorSlots + e : -1;
    }

    private KeyValuePair<string, object?>[] Build(ServiceDefinition service, EndpointDefinition endpoint, ProbeOutcome outcome, ErrorKind? error)
    {
        var tags = new List<KeyValuePair<string, object?>>(6)
        {
            new(TelemetryAttributes.Service, service.Id),
            new(TelemetryAttributes.Region, region),
            new(TelemetryAttributes.EndpointKind, TelemetryAttributes.Wire(endpoint.Kind)),
            new(TelemetryAttributes.Outcome, TelemetryAttributes.Wire(outcome)),
        };
        if (perEndpoint)
        {
            tags.Add(new(TelemetryAttributes.Endpoint, endpoint.Id));
        }
        if (error is { } kind)
        {
            tags.Add(new(TelemetryAttributes.ErrorType, TelemetryAttributes.Wire(kind)));
        }
        return [.. tags];
    }
}

using ServerlessMonitor.Alerts;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// A notification channel as an outbox subscriber: it takes the service-level messages (and flapping,
/// certificate and monitor events) its routing asks for, renders them for people and hands them to its provider.
/// The outbox gives it the sinks' guarantee: stable ids, retries with backoff, never again once accepted.
/// </summary>
internal sealed class ChannelSink : IAlertSink
{
    private readonly string _channel;
    private readonly ChannelOptions _options;
    private readonly IChannelSender _sender;
    private readonly ChannelHealth _health;
    private readonly ITableStore _store;
    private readonly MonitorTables _tables;
    private readonly TimeProvider _time;
    private readonly GlobPattern[] _services;
    private readonly HashSet<NotifyEvent> _events;
    private readonly ChannelRateLimit _limit;

    public ChannelSink(string channel, ChannelOptions options, IChannelSender sender, ChannelHealth health, ITableStore store, MonitorTables tables,
        TimeProvider time, int maxAttempts)
    {
        (_channel, _options, _sender, _health, _store, _tables, _time) = (channel, options, sender, health, store, tables, time);
        GiveUp = new SinkGiveUp(maxAttempts, MaxAge);
        // Start-up validation has checked every pattern and event name before a sink is built.
        _services = options.Services.Select(s => GlobPattern.TryCompile(s, out var g, out _) ? g! : throw new ArgumentException(s)).ToArray();
        _events = options.Events.Select(e => Enum.Parse<NotifyEvent>(e, ignoreCase: true)).ToHashSet();
        _limit = new ChannelRateLimit(options.PerMinute, time);
    }

    public const string NamePrefix = "channel-";

    /// <summary>A message older than this is no news to a person any more: the channel gives up on it (dead, re-drivable).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>Notifications:MaxAttempts failed attempts, or a day: then the delivery is dead for this channel and costs no more sends.</summary>
    public SinkGiveUp GiveUp { get; }

    public string Channel => _channel;

    public ChannelKind Kind => _options.Kind;

    /// <summary>Sends a test message now, outside the outbox (admin "test"); throws <see cref="AlertDeliveryException"/> as a delivery would.</summary>
    public async Task SendTestAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var message = new NotificationMessage("ServerlessMonitor test message", $"A test message for the channel '{_channel}', sent by an operator.", [],
            null, Severity.Info, NotifyEvent.Monitor, $"test-{now.UtcTicks}", false, "/serverlessmonitor/test", now);
        try
        {
            await _sender.SendAsync(message, ct);
            _health.Succeeded(_channel, _time.GetUtcNow());
        }
        catch (AlertDeliveryException e)
        {
            _health.Failed(_channel, _time.GetUtcNow(), e.Message);
            throw;
        }
    }

    public string Name => NamePrefix + _channel.ToLowerInvariant();

    public string Display => $"{_channel}: {_sender.Display}";

    public bool Wants(AlertEvent alert)
    {
        if (MessageRenderer.EventOf(alert.Type) is not { } ev || (_events.Count > 0 && !_events.Contains(ev)))
        {
            return false;
        }
        // PagerDuty and Opsgenie page people and resolve by incident id: an operator's update is not a page.
        if (ev == NotifyEvent.Update && _options.Kind is ChannelKind.PagerDuty or ChannelKind.Opsgenie)
        {
            return false;
        }
        if (_services.Length > 0 && alert.Data.Service is { } service && !_services.Any(g => g.IsMatch(service)))
        {
            return false;
        }
        // A dependant's service messages are folded into its dependency's: that one message names the cause.
        if (alert.Type is AlertTypes.ServiceDown or AlertTypes.ServiceDegraded or AlertTypes.ServiceRecovered or AlertTypes.ServiceStillDown && LikelyCause.IsDependency(alert.Data.LikelyCause))
        {
            return false;
        }
        // Reminders go to the channels that asked for this interval, and only after their down message could have gone.
        if (alert.Type == AlertTypes.ServiceStillDown)
        {
            return _options.RemindEvery is { } every && (long)every.TotalSeconds == (long)(alert.Data.ReminderIntervalSeconds ?? 0)
                && alert.Data.DurationSeconds >= _options.MinDuration.TotalSeconds;
        }
        // With minDuration a recovery only follows a down that was sent: one of an incident that lasted that long.
        return ev != NotifyEvent.Recovered || alert.Data.DurationSeconds is not { } seconds || seconds >= _options.MinDuration.TotalSeconds;
    }

    public async Task DeliverAsync(AlertEvent alert, string json, CancellationToken ct)
    {
        if (_options.MinDuration > TimeSpan.Zero && alert.Type is AlertTypes.ServiceDown or AlertTypes.ServiceDegraded && !await LastedAsync(alert, ct))
        {
            return;
        }
        if (_limit.TryTake() is { } wait)
        {
            throw new AlertDeliveryException($"{Display}: held by the channel's limit of {_options.PerMinute} messages a minute")
            {
                RetryAfter = wait,
                Deferred = true,
            };
        }
        try
        {
            await _sender.SendAsync(MessageRenderer.Render(alert), ct);
            _health.Succeeded(_channel, _time.GetUtcNow());
        }
        catch (AlertDeliveryException e)
        {
            _health.Failed(_channel, _time.GetUtcNow(), e.Message);
            throw;
        }
    }

    /// <summary>
    /// True when the incident has lasted minDuration (still open or closed after that long); false when it ended
    /// sooner (the down is dropped, and so is its recovery). Still open but younger: held until it is old enough.
    /// </summary>
    private async Task<bool> LastedAsync(AlertEvent alert, CancellationToken ct)
    {
        var row = await _store.GetAsync(_tables.Endpoints, alert.Data.Service!, ServiceIncidentRows.Key, ct);
        var incident = ServiceIncidentRows.Read(row);
        if (incident.IncidentId == alert.Data.IncidentId && incident.Start is { } start)
        {
            var age = _time.GetUtcNow() - start;
            return age >= _options.MinDuration ? true : throw new AlertDeliveryException(
                $"{Display}: held until the incident has lasted {_options.MinDuration} (minDuration)")
            {
                RetryAfter = _options.MinDuration - age,
                Deferred = true,
            };
        }
        return incident.ClosedIncident == alert.Data.IncidentId && incident.ClosedDuration >= _options.MinDuration;
    }
}

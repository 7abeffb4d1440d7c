using System.Text.Json;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>
/// Waits until a service's status answer says <c>status</c> and comes from a served snapshot (it carries
/// Last-Modified; an answer run cold before the first snapshot does not). Every answer of that snapshot, the page
/// included, was built from the same board, and snapshots only move forward: a cold "down" could be followed by a
/// first snapshot built from the board as it was before the cycle published.
/// </summary>
internal static class SnapshotStatus
{
    public static async Task WaitAsync(HttpClient http, string service, string status, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            using var response = await http.GetAsync($"/api/status/{service}", cts.Token);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cts.Token));
            if (response.Content.Headers.LastModified is not null && json.RootElement.GetProperty("status").GetString() == status)
            {
                return;
            }
            await Task.Delay(200, cts.Token);
        }
    }
}

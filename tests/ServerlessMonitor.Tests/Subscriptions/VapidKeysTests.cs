using ServerlessMonitor.Subscriptions;

namespace ServerlessMonitor.Tests.Subscriptions;

public sealed class VapidKeysTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sm-vapid-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task LoadOrCreate_ManyStartsAtOnceOnOneFolder_AllUseTheOnePairStored()
    {
        for (var round = 0; round < 20; round++) // a lost race is rare in one round (a move without overwrite checks, then renames)
        {
            var path = Path.Combine(_dir, $"vapid-keys-{round}.json");
            using var start = new Barrier(8);
            var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return VapidKeys.LoadOrCreate(path);
            })));

            var stored = VapidKeys.LoadOrCreate(path);
            Assert.All(keys, k => Assert.Equal(stored, k));
        }
        Assert.Equal(20, Directory.GetFiles(_dir).Length); // no file left aside
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}

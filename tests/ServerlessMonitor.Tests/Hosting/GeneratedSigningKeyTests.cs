using ServerlessMonitor.Standalone;

namespace ServerlessMonitor.Tests.Hosting;

public sealed class GeneratedSigningKeyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sm-signing-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ReadOrCreate_ManyStartsAtOnceOnOneFolder_AllUseTheOneKeyStored()
    {
        var path = Path.Combine(_dir, GeneratedSigningKey.FileName);
        using var start = new Barrier(8);
        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return GeneratedSigningKey.ReadOrCreate(path);
        })));

        var stored = File.ReadAllText(path);
        Assert.All(keys, k => Assert.Equal(stored, k));
        Assert.Equal(32, Convert.FromBase64String(stored).Length);
        Assert.Equal([path], Directory.GetFiles(_dir));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void ReadOrCreate_FileWithoutAKey_ErrorNamesTheFileAndKeepsIt()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, GeneratedSigningKey.FileName);
        File.WriteAllText(path, "short");

        var error = Assert.Throws<InvalidOperationException>(() => GeneratedSigningKey.ReadOrCreate(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal("short", File.ReadAllText(path));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}

using ServerlessMonitor.Pages.Fragments;

namespace ServerlessMonitor.Tests.Pages.Fragments;

public sealed class FragmentCacheTests
{
    [Fact]
    public void Get_SameInputs_RendersOnceAndKeepsTheString()
    {
        var cache = new FragmentCache();

        var first = cache.Get("section/a", "inputs-1", i => $"<p>{i}</p>");
        var second = cache.Get("section/a", "inputs-1", i => throw new InvalidOperationException("rendered again"));

        Assert.Same(first, second);
        Assert.Equal(1, cache.Renders);
    }

    [Fact]
    public void Get_ChangedInputs_RendersAgainAndKeepsTheNewOne()
    {
        var cache = new FragmentCache();
        cache.Get("section/a", "inputs-1", i => $"<p>{i}</p>");

        var changed = cache.Get("section/a", "inputs-2", i => $"<p>{i}</p>");
        var again = cache.Get("section/a", "inputs-2", i => throw new InvalidOperationException("rendered again"));

        Assert.Equal("<p>inputs-2</p>", changed);
        Assert.Same(changed, again);
        Assert.Equal(2, cache.Renders);
    }

    [Fact]
    public void Get_OtherKeySameInputs_RendersItsOwn()
    {
        var cache = new FragmentCache();

        cache.Get("section/a", "same", _ => "a");
        var b = cache.Get("section/b", "same", _ => "b");

        Assert.Equal("b", b);
        Assert.Equal(2, cache.Renders);
    }

    [Fact]
    public void Get_RenderThrows_NextCallRendersAgain()
    {
        var cache = new FragmentCache();

        Assert.Throws<InvalidOperationException>(() => cache.Get("section/a", "inputs", string (_) => throw new InvalidOperationException("render failed")));
        var html = cache.Get("section/a", "inputs", _ => "<p>ok</p>");

        Assert.Equal("<p>ok</p>", html);
    }

    [Fact]
    public async Task Get_RacingCallersSameInputs_OneRender()
    {
        var cache = new FragmentCache();
        using var gate = new ManualResetEventSlim();

        var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.Get("section/a", "inputs", _ =>
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            return "<p>once</p>";
        }))).ToList();
        await Task.Delay(200); // let them queue on the one render
        gate.Set();
        var answers = await Task.WhenAll(callers);

        Assert.All(answers, a => Assert.Equal("<p>once</p>", a));
        Assert.Equal(1, cache.Renders);
    }

    [Fact]
    public void KeepOnly_ServiceLeft_ItsFragmentIsRenderedAgainWhenItComesBack()
    {
        var cache = new FragmentCache();
        cache.Get(FragmentKeys.Section("a"), "inputs", _ => "a");
        cache.Get(FragmentKeys.Section("b"), "inputs", _ => "b");

        cache.KeepOnly(FragmentKeys.For(["b"]));
        cache.Get(FragmentKeys.Section("b"), "inputs", _ => throw new InvalidOperationException("b was kept"));
        cache.Get(FragmentKeys.Section("a"), "inputs", _ => "a");

        Assert.Equal(3, cache.Renders);
    }
}

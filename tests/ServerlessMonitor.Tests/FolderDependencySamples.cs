namespace ServerlessMonitor.Tests.FolderDependencySamples.Upper
{
    internal sealed class Thing
    {
        public string Name { get; } = "thing";
    }

    internal static class Codec
    {
        public static string Split(string s) => s.ToUpperInvariant();
    }
}

// Uses of Upper that a scan of the compiled types must see (FolderDependencyTests), each hidden a different way.
namespace ServerlessMonitor.Tests.FolderDependencySamples.Lower
{
    internal static class InBody
    {
        public static int Length() => new Upper.Thing().Name.Length;
    }

    internal static class InAsyncLambda
    {
        public static async Task<int> LengthAsync()
        {
            await Task.Yield();
            return await Task.Run(() => new Upper.Thing().Name.Length);
        }
    }

    internal sealed class InGenericField
    {
        private readonly List<Dictionary<string, Upper.Thing[]>> _things = [];

        public int Count => _things.Count;
    }

    internal static class InStaticCall
    {
        public static string Text(string s) => Upper.Codec.Split(s);
    }

    internal static class Clean
    {
        public static string Text(string s) => s.Trim();
    }
}

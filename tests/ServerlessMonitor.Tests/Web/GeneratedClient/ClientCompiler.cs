using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ServerlessMonitor.Tests.Web.GeneratedClient;

/// <summary>
/// Compiles C# files (a generated client and the calls written against it) into an assembly loaded next to the
/// tests, against the assemblies the tests run with (the Kiota runtime packages among them).
/// </summary>
internal static class ClientCompiler
{
    public static Assembly Compile(string assemblyName, IEnumerable<string> files)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: ["NET", "NETCOREAPP", "NETCOREAPP3_1_OR_GREATER", "NET5_0_OR_GREATER", "NET8_0_OR_GREATER"]);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, path: f)).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(assemblyName, trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success)
        {
            throw new InvalidOperationException($"The generated client does not compile ({errors.Count} errors):\n{string.Join("\n", errors.Take(20))}");
        }
        return Assembly.Load(image.ToArray());
    }
}

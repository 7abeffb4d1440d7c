namespace ServerlessMonitor.Catalog;

/// <summary>
/// Upper bounds on what a catalog (or an admin request read with the same reader) may hold. Every value
/// here ends up in table rows, API answers, pages, feeds and logs; without a bound a 50 MB name loads and
/// is then copied into every one of them.
/// </summary>
internal static class CatalogLimits
{
    public const int Name = 100;
    public const int Category = 40;
    public const int Url = 2048;
    public const int Host = 253;
    /// <summary>Any other string: kinds, methods, durations, dates, service and endpoint references.</summary>
    public const int Text = 256;
    public const int Body = 64 * 1024;
    public const int Condition = 1000;
    public const int Conditions = 50;
    public const int Headers = 50;
    public const int HeaderName = 100;
    public const int HeaderValue = 8192;
    /// <summary>How much of a rejected value an error message quotes.</summary>
    public const int Quoted = 40;
}

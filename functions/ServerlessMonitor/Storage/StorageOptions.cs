using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Storage;

public enum StorageMode
{
    Sqlite,
    Tables,
}

/// <summary>The "Storage" configuration section (DESIGN §9).</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public StorageMode Mode { get; set; } = StorageMode.Sqlite;

    /// <summary>Embedded store file; relative paths are under the working directory.</summary>
    public string SqlitePath { get; set; } = Path.Combine("data", "monitor.db");

    /// <summary>Shared Key connection string, or UseDevelopmentStorage=true for Azurite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table endpoint for Microsoft Entra ID auth (managed identity), e.g. https://acct.table.core.windows.net.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty = DefaultAzureCredential's choice.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix for table names, to share one storage account between installations.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,20}$|^$", ErrorMessage = "Storage:TablePrefix must be letters and digits, starting with a letter")]
    public string TablePrefix { get; set; } = "";

    /// <summary>
    /// SQLite: a steady probe's state row and rollup increments are written once per cycle, not with its result row
    /// (DESIGN §5, write contract). Off (the default) = every probe writes all its rows durably in its one batch. In process
    /// each endpoint is probed once per cycle, so deferring saves no row: it only moves them into a flush after the probes
    /// (measured: no gain in probe rate, twice the batches, a serial flush step; docs/DEPLOY.md). No effect on Table Storage,
    /// where the probe's one batch carries them at no extra cost.
    /// </summary>
    public bool WriteBehind { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == StorageMode.Sqlite && string.IsNullOrWhiteSpace(SqlitePath))
        {
            yield return new ValidationResult("Storage:SqlitePath is required when Storage:Mode is Sqlite", [nameof(SqlitePath)]);
        }
        if (Mode == StorageMode.Tables && string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null)
        {
            yield return new ValidationResult("Storage:Mode=Tables needs Storage:ConnectionString or Storage:TableServiceUri",
                [nameof(ConnectionString), nameof(TableServiceUri)]);
        }
        if (Mode == StorageMode.Tables && !string.IsNullOrWhiteSpace(ConnectionString))
        {
            string? problem = null;
            try
            {
                Tables.TableStoreConnection.FromConnectionString(ConnectionString);
            }
            catch (InvalidOperationException e)
            {
                // The parser's messages name the missing part and never echo the key.
                problem = e.Message;
            }
            if (problem is not null)
            {
                yield return new ValidationResult($"Storage:ConnectionString: {problem}", [nameof(ConnectionString)]);
            }
        }
    }
}

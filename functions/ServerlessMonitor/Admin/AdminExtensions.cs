namespace ServerlessMonitor.Admin;

public static class AdminExtensions
{
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .Validate(o => !o.HasKey || o.Key!.Length >= AdminOptions.MinKeyLength,
                $"Admin:Key must be at least {AdminOptions.MinKeyLength} characters (or left unset to turn the admin API off)")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AdminKeyThrottle>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        builder.Services.AddSingleton<IncidentNoteWriter>();
        return builder;
    }
}

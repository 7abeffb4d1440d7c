namespace ServerlessMonitor.Subscriptions.Email;

public static class EmailSubscriptionsExtensions
{
    /// <summary>Email double opt-in and the email subscriber channel (docs/SUBSCRIPTIONS.md).</summary>
    public static IHostApplicationBuilder AddEmailSubscriptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailSubscriptionOptions>().BindConfiguration(EmailSubscriptionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SubscriberSmtp>();
        builder.Services.AddSingleton<EmailLinks>();
        builder.Services.AddSingleton<EmailSubscriptionSetup>();
        builder.Services.AddSingleton<SubscriberMailer>();
        builder.Services.AddSingleton<ConfirmationLimit>();
        builder.Services.AddSingleton<ConfirmationQueue>();
        builder.Services.AddSingleton<ConfirmationMailer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfirmationMailer>());
        builder.Services.AddSingleton<ISubscriberChannel, EmailSubscriberChannel>();
        return builder;
    }
}

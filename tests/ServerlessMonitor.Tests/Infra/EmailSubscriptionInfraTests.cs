namespace ServerlessMonitor.Tests.Infra;

/// <summary>Email subscriptions' secrets reach the app only as secure parameters, and are off unless given.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class EmailSubscriptionInfraTests(CompiledInfra infra)
{
    [Theory]
    [InlineData("subscriptionsSigningKey", "Subscriptions__SigningKey", "securestring")]
    [InlineData("subscriptionsSmtpPassword", "Subscriptions__SmtpPassword", "securestring")]
    [InlineData("subscriptionsSmtpHost", "Subscriptions__SmtpHost", "string")]
    [InlineData("subscriptionsSmtpUsername", "Subscriptions__SmtpUsername", "string")]
    [InlineData("subscriptionsSmtpFrom", "Subscriptions__SmtpFrom", "string")]
    public void Parameter_OptionalOfItsType_PassedToEveryRegionsAppSetting(string parameter, string setting, string type)
    {
        var declared = infra.Main.Json["parameters"]![parameter]!;
        Assert.Equal(type, declared["type"]!.GetValue<string>());
        Assert.Equal("", declared["defaultValue"]!.GetValue<string>());
        Assert.Equal($"[parameters('{parameter}')]", infra.PrimaryApp.PassedExpression(parameter));
        Assert.Equal($"[parameters('{parameter}')]", infra.ExtraApps.PassedExpression(parameter));
        Assert.Equal($"[parameters('{parameter}')]", infra.AppSettings[setting]!.GetValue<string>());
        Assert.Equal(type, infra.PrimaryApp.Json["parameters"]![parameter]!["type"]!.GetValue<string>());
    }
}
